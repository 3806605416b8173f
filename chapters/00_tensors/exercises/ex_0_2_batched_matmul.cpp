// Exercise 0.2 (warm-up) — a batched matrix product on BLAS sgemm.
//
// Attention multiplies many small matrices at once: (B,H,L,K) @ (B,H,K,M). A row-major
// batch of matrices is a run of contiguous slices, so the batched product is a loop of
// ordinary products, each handed to sgemm. Write that loop with tfm::sgemm (declared in
// 00_tensors/matmul.hpp), after checking every shape. Work out each slice's pointer and
// each leading dimension yourself: matmul_into and sgemm_batched, in the same header,
// already are this loop, and calling them would skip the exercise (the tests cannot tell).
//
// Test it with:  scripts/exercises        (or: scripts/exercises 0.2)
#include <stdexcept>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

void batched_matmul(const Tensor<3>& a_BRI, const Tensor<3>& b_BIO, Tensor<3>& c_BRO) {
    // TODO(ex 0.2): check the shapes, then one tfm::sgemm per slice i < B.
    throw std::logic_error("not implemented: exercise 0.2");
}

}  // namespace tfm::exercises
