// Exercise 3.3 — the backward of one head of attention: dq and dk.
//
// The forward is three steps: the scores s = q·kᵀ/√K [L, M], the weights p = softmax(s)
// row by row, and the output p·v [L, K]. Given ∂L/∂out, walk them backward. The last step
// is a plain product, so dv is done for you below, together with the forward it needs.
// What is left is the way back through the softmax into the scores, and from the scores
// into q and into k. Work each one out on paper first, one entry at a time; then let the
// shapes tell you where the transposes go.
//
// Test it with:  scripts/exercises 3.3
#include <cmath>
#include <stdexcept>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

HeadGrads attention_one_head_backward(const Tensor<2>& q_LK, const Tensor<2>& k_MK,
                                      const Tensor<2>& v_MK, const Tensor<2>& dout_LK) {
    const std::size_t L = q_LK.shape()[0], K = q_LK.shape()[1], M = k_MK.shape()[0];
    check_shape("k_MK", k_MK, {kAny, std::ptrdiff_t(K)});
    check_shape("v_MK", v_MK, {std::ptrdiff_t(M), std::ptrdiff_t(K)});
    check_shape("dout_LK", dout_LK, {std::ptrdiff_t(L), std::ptrdiff_t(K)});
    // The forward again, up to the weights p [L, M].
    Tensor<2> scores_LM = xt::zeros<float>({L, M});
    matmul_into(q_LK, k_MK, scores_LM, Transpose::No, Transpose::Yes, 1.0f / std::sqrt(float(K)));
    const Tensor<2> p_LM = softmax(scores_LM);
    HeadGrads grads;
    // out = p·v  ⇒  dv = pᵀ·dout [M, K].
    grads.dv_MK = xt::zeros<float>({M, K});
    matmul_into(p_LM, dout_LK, grads.dv_MK, Transpose::Yes, Transpose::No);
    // TODO(ex 3.3): fill grads.dq_LK [L, K] and grads.dk_MK [M, K].
    throw std::logic_error("not implemented: exercise 3.3");
}

}  // namespace tfm::exercises
