// Exercise 3.2 — one head of scaled dot-product attention.
//
// scores = q·kᵀ/√K, masked scores → −1e9, weights = softmax over each row,
// output = weights·v. Check the shapes first.
//
// Test it with:  scripts/exercises 3.2
#include <stdexcept>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<2> attention_one_head(const Tensor<2>& q_LK, const Tensor<2>& k_MK, const Tensor<2>& v_MK,
                             const xt::xtensor<bool, 2>& mask_LM) {
    // TODO(ex 3.2): shapes; scores with matmul_into(q, k, scores, No, Yes, 1/√K); mask;
    // softmax; output with matmul_into(weights, v, out).
    throw std::logic_error("not implemented: exercise 3.2");
}

}  // namespace tfm::exercises
