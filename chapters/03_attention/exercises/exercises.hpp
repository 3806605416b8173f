// exercises.hpp — chapter 03's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

namespace tfm::exercises {

/// Exercise 3.1: the causal mask [L, L]: true where key m may be seen by query l,
/// i.e. m ≤ l.
xt::xtensor<bool, 2> causal_mask(std::size_t length);

/// Exercise 3.2: one head of attention, softmax(q·kᵀ/√K)·v, with scores set to −1e9
/// where mask_LM is false. q_LK [L, K], k_MK and v_MK [M, K], mask_LM [L, M] → [L, K].
/// Use tfm::matmul_into (transpose flag for kᵀ) and tfm::softmax from chapter 00.
/// Throws tfm::ShapeError when the shapes do not fit.
xt::xtensor<float, 2> attention_one_head(const xt::xtensor<float, 2>& q_LK,
                                         const xt::xtensor<float, 2>& k_MK,
                                         const xt::xtensor<float, 2>& v_MK,
                                         const xt::xtensor<bool, 2>& mask_LM);

}  // namespace tfm::exercises
