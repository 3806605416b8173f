// Exercise 3.2 (derivation) — attention with a learned score matrix, forward and backward.
//
// Luong et al. (2015) compared several scores for RNN translators; their "general" score
// puts a learned matrix between query and key, q·W·kᵀ. Give it the chapter's 1/√K and a
// mask, and derive its backward for q, k, v and W. Before you write loops: can you see
// this score as the chapter's attention applied to something? Then
// tfm::ScaledDotProductAttention can do most of the work, and your derivation is what
// connects its gradients to q and W.
//
// Test it with:  scripts/exercises 3.2
#include <stdexcept>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "03_attention/attention.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

BilinearAttentionGrads bilinear_attention(const Tensor<2>& q_LK, const Tensor<2>& k_MK,
                                          const Tensor<2>& v_MK, const Tensor<2>& W_KK,
                                          const xt::xtensor<bool, 2>& mask_LM,
                                          const Tensor<2>& dout_LK) {
    // TODO(ex 3.2): check shapes; forward; the gradients of q, k, v and W.
    throw std::logic_error("not implemented: exercise 3.2");
}

}  // namespace tfm::exercises
