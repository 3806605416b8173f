// Solution to exercise 0.2 — a batched matrix product on BLAS sgemm.
#include "00_tensors/exercises/exercises.hpp"

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

void batched_matmul(const Tensor<3>& a_BRI, const Tensor<3>& b_BIO, Tensor<3>& c_BRO) {
    const std::size_t B = a_BRI.shape()[0], R = a_BRI.shape()[1], I = a_BRI.shape()[2];
    const std::size_t O = b_BIO.shape()[2];
    check_size("batched_matmul: batch size of b_BIO", B, b_BIO.shape()[0]);
    check_size("batched_matmul: rows of b_BIO (the inner dimension I)", I, b_BIO.shape()[1]);
    check_shape("batched_matmul: c_BRO", c_BRO,
                {std::ptrdiff_t(B), std::ptrdiff_t(R), std::ptrdiff_t(O)});
    // Slice i of a row-major [B, R, I] tensor is the R·I floats starting at i·R·I.
    for (std::size_t i = 0; i < B; ++i) {
        sgemm(Transpose::No, Transpose::No, R, O, I, 1.0f, a_BRI.data() + i * R * I, I,
              b_BIO.data() + i * I * O, O, 0.0f, c_BRO.data() + i * R * O, O);
    }
}

}  // namespace tfm::exercises
