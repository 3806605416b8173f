// exercises.hpp — chapter 05's exercises (run `scripts/exercises` from the top).
#pragma once

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 5.1: ReLU's backward. Given the pre-activations h and the gradient da of
/// relu(h), returns dh: da where h > 0, and 0 where h ≤ 0. Throws tfm::ShapeError if
/// the shapes differ.
Tensor<2> relu_backward(const Tensor<2>& h_NF, const Tensor<2>& da_NF);

/// Exercise 5.2: the feed-forward network's forward on rows, with PyTorch layouts:
/// y = relu(x·w1ᵀ + b1)·w2ᵀ + b2, x_NC [N, C], w1_FC [F, C], b1_F [F], w2_CF [C, F],
/// b2_C [C]. Both products go through tfm::matmul_into.
Tensor<2> feed_forward_rows(const Tensor<2>& x_NC, const Tensor<2>& w1_FC, const Tensor<1>& b1_F,
                            const Tensor<2>& w2_CF, const Tensor<1>& b2_C);

}  // namespace tfm::exercises
