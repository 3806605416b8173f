// exercises.hpp — chapter 03's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 3.1: the causal mask [L, L]: true where key m may be seen by query l,
/// i.e. m ≤ l.
xt::xtensor<bool, 2> causal_mask(std::size_t length);

/// Exercise 3.2: one head of attention, softmax(q·kᵀ/√K)·v, with scores set to −1e9
/// where mask_LM is false. q_LK [L, K], k_MK and v_MK [M, K], mask_LM [L, M] → [L, K].
/// Use tfm::matmul_into (transpose flag for kᵀ) and tfm::softmax from chapter 00.
/// Throws tfm::ShapeError when the shapes do not fit.
Tensor<2> attention_one_head(const Tensor<2>& q_LK, const Tensor<2>& k_MK, const Tensor<2>& v_MK,
                             const xt::xtensor<bool, 2>& mask_LM);

/// The gradients of one head's three inputs (exercise 3.3).
struct HeadGrads {
    Tensor<2> dq_LK;  ///< ∂L/∂q [L, K]
    Tensor<2> dk_MK;  ///< ∂L/∂k [M, K]
    Tensor<2> dv_MK;  ///< ∂L/∂v [M, K]
};

/// Exercise 3.3: the backward of one head of attention without mask or dropout,
/// out = softmax(q·kᵀ/√K)·v with q_LK [L, K], k_MK and v_MK [M, K]. Given
/// dout_LK = ∂L/∂out [L, K], returns the gradients of q, k and v. The stub already
/// recomputes the weights and dv; dq and dk are the exercise. Throws tfm::ShapeError
/// when the shapes do not fit.
HeadGrads attention_one_head_backward(const Tensor<2>& q_LK, const Tensor<2>& k_MK,
                                      const Tensor<2>& v_MK, const Tensor<2>& dout_LK);

/// Exercise 3.4: how peaked attention is. With scores s = q·kᵀ/√K when `scaled` and
/// s = q·kᵀ otherwise (q_LK [L, K], k_MK [M, K]), returns the mean over the L queries of
/// the largest weight in the query's row of softmax(s): 1/M for a uniform row, 1 for a
/// row that puts everything on one key. Throws tfm::ShapeError if the widths differ.
double mean_max_attention_weight(const Tensor<2>& q_LK, const Tensor<2>& k_MK, bool scaled);

}  // namespace tfm::exercises
