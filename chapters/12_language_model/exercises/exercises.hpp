// exercises.hpp — chapter 12's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 12.1: top-k filtering. Returns the logits with every value below the k-th
/// largest replaced by −infinity (values equal to it stay); k = 0 or k ≥ the number of
/// logits leaves them all.
std::vector<float> top_k_filter(const std::vector<float>& logits, std::size_t k);

/// Exercise 12.2: the language-model loss of one window. logits_TV holds the model's
/// logits at T positions; window holds the T + 1 ids they were computed from and
/// predict: position t reads window[t] and must predict window[t + 1]. Returns the mean
/// cross-entropy −log softmax(logits[t])[window[t + 1]] over t. Throws
/// std::invalid_argument unless window.size() == T + 1.
double next_token_loss(const Tensor<2>& logits_TV, const std::vector<std::int64_t>& window);

}  // namespace tfm::exercises
