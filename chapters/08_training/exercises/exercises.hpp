// exercises.hpp — chapter 08's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xtensor/xtensor.hpp>

namespace tfm::exercises {

/// Exercise 8.1: the Noam learning rate, factor · C^−0.5 · min(step^−0.5, step · warmup^−1.5),
/// with step 0 treated as step 1.
double noam(std::size_t step, std::size_t model_size, double factor, std::size_t warmup);

/// Exercise 8.2: the label-smoothed target distribution of one label over V classes:
/// 1 − smoothing on the label, smoothing / (V − 2) on every other class but the padding
/// class, 0 on the padding class — and all zeros if the label is the padding class.
xt::xtensor<float, 1> smoothed_target(std::int64_t label, std::size_t vocab, std::int64_t padding_idx,
                                      float smoothing);

}  // namespace tfm::exercises
