// exercises.hpp — chapter 08's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 8.1: the Noam learning rate, factor · C^−0.5 · min(step^−0.5, step · warmup^−1.5),
/// with step 0 treated as step 1.
double noam(std::size_t step, std::size_t model_size, double factor, std::size_t warmup);

/// Exercise 8.2: the label-smoothed target distribution of one label over V classes:
/// 1 − smoothing on the label, smoothing / (V − 2) on every other class but the padding
/// class, 0 on the padding class — and all zeros if the label is the padding class.
Tensor<1> smoothed_target(std::int64_t label, std::size_t vocab, std::int64_t padding_idx,
                          float smoothing);

/// A loss and its gradient with respect to the logits (exercise 8.3).
struct LossAndGradient {
    double loss = 0.0;  ///< summed over the rows
    Tensor<2> dz_NV;    ///< ∂loss/∂z [N, V]
};

/// Exercise 8.3: label smoothing taken straight from the logits. z_NV holds N rows of
/// logits over V classes, y_N their labels, padding_idx the padding class (in [0, V)).
/// With p = softmax(z) and q each row's smoothed target (as in exercise 8.2), returns the
/// KL divergence Σ q·(log q − log p), summed over the rows (entries where q = 0 add
/// nothing), and its gradient with respect to z, computed without going through the
/// gradient of log p. A padding row adds 0 to the loss and gets a zero gradient. Throws
/// tfm::ShapeError if y_N does not have N labels, std::out_of_range for a label outside
/// [0, V).
LossAndGradient smoothed_loss_from_logits(const Tensor<2>& z_NV,
                                          const xt::xtensor<std::int64_t, 1>& y_N,
                                          std::int64_t padding_idx, float smoothing);

}  // namespace tfm::exercises
