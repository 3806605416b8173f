// exercises.hpp — chapter 04's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

#include "04_multi_head_attention/multi_head_attention.hpp"

namespace tfm::exercises {

/// Exercise 4.1: split the C channels of x_BLC into H heads of K = C / H channels:
/// out(b, h, l, k) = x(b, l, h·K + k). Throws tfm::ShapeError if H does not divide C.
Tensor<4> split_into_heads(const Tensor<3>& x_BLC, std::size_t heads);

/// Exercise 4.2: the inverse, concatenating the heads: out(b, l, h·K + k) = x(b, h, l, k).
Tensor<3> concat_heads(const Tensor<4>& x_BHLK);

/// Exercise 4.3: the input gradient of multi-head *self*-attention. `mha` has just run
/// forward(x_BLC, x_BLC, x_BLC), without a mask and with dropout 0 (or in evaluation
/// mode). Given dout_BLC = ∂L/∂(its output), returns ∂L/∂x [B, L, C]: x was the query,
/// the key and the value at once. Uses only the module's public pieces — mha.linears,
/// tfm::split_heads and tfm::merge_heads, and a tfm::ScaledDotProductAttention of your
/// own — and, like mha.backward, accumulates the four projections' parameter gradients.
Tensor<3> self_attention_input_gradient(MultiHeadedAttention& mha, const Tensor<3>& x_BLC,
                                        const Tensor<3>& dout_BLC);

}  // namespace tfm::exercises
