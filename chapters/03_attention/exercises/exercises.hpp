// exercises.hpp — chapter 03's exercises (run `scripts/exercises` from the top).
//
// Exercise 3.1 uses the key's letter A (chapter 00): the width of additive attention's
// scoring layer.
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Additive attention's output and the gradients of all its inputs (exercise 3.1).
struct AdditiveAttentionGrads {
    Tensor<2> out_LK;   ///< the output [L, K]
    Tensor<2> dq_LK;    ///< ∂L/∂q
    Tensor<2> dk_MK;    ///< ∂L/∂k
    Tensor<2> dv_MK;    ///< ∂L/∂v
    Tensor<2> dW_q_AK;  ///< ∂L/∂W_q
    Tensor<2> dW_k_AK;  ///< ∂L/∂W_k
    Tensor<1> dw_A;     ///< ∂L/∂w
};

/// Exercise 3.1 (derivation): additive attention (Bahdanau et al., 2015), forward and
/// backward, for one head. Query l scores key m with a one-hidden-layer network,
///     e_lm = w · tanh(W_q q_l + W_k k_m),
/// with W_q and W_k [A, K] and w [A]; a score where mask_LM(l, m) is false becomes −1e9;
/// p = softmax(e) row by row; out_l = Σ_m p_lm v_m. q_LK [L, K], k_MK and v_MK [M, K].
/// Given dout_LK = ∂L/∂out, returns the output and the gradients of q, k, v, W_q, W_k
/// and w. Throws tfm::ShapeError when the shapes do not fit.
AdditiveAttentionGrads additive_attention(const Tensor<2>& q_LK, const Tensor<2>& k_MK,
                                          const Tensor<2>& v_MK, const Tensor<2>& W_q_AK,
                                          const Tensor<2>& W_k_AK, const Tensor<1>& w_A,
                                          const xt::xtensor<bool, 2>& mask_LM,
                                          const Tensor<2>& dout_LK);

/// Bilinear attention's output and the gradients of all its inputs (exercise 3.2).
struct BilinearAttentionGrads {
    Tensor<2> out_LK;  ///< the output [L, K]
    Tensor<2> dq_LK;   ///< ∂L/∂q
    Tensor<2> dk_MK;   ///< ∂L/∂k
    Tensor<2> dv_MK;   ///< ∂L/∂v
    Tensor<2> dW_KK;   ///< ∂L/∂W
};

/// Exercise 3.2 (derivation): multiplicative attention with a learned matrix (Luong et
/// al.'s "general" score), forward and backward, for one head: the scores are
///     s_lm = q_l · W · k_mᵀ / √K
/// with W [K, K]; masked scores become −1e9; p = softmax(s) row by row; out = p · v.
/// With W the identity it is the chapter's scaled dot-product attention. Given
/// dout_LK = ∂L/∂out, returns the output and the gradients of q, k, v and W. Throws
/// tfm::ShapeError when the shapes do not fit.
BilinearAttentionGrads bilinear_attention(const Tensor<2>& q_LK, const Tensor<2>& k_MK,
                                          const Tensor<2>& v_MK, const Tensor<2>& W_KK,
                                          const xt::xtensor<bool, 2>& mask_LM,
                                          const Tensor<2>& dout_LK);

/// Exercise 3.3 (experiment): how peaked attention is. With scores s = q·kᵀ/√K when
/// `scaled` and s = q·kᵀ otherwise (q_LK [L, K], k_MK [M, K]), returns the mean over the L
/// queries of the largest weight in the query's row of softmax(s): 1/M for a uniform row,
/// 1 for a row that puts everything on one key. Throws tfm::ShapeError if the widths
/// differ.
double mean_max_attention_weight(const Tensor<2>& q_LK, const Tensor<2>& k_MK, bool scaled);

}  // namespace tfm::exercises
