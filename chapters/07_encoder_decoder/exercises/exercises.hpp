// exercises.hpp — chapter 07's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "07_encoder_decoder/encoder_decoder.hpp"

namespace tfm::exercises {

/// Exercise 7.1: the generator's log-softmax of one row of logits, computed so that
/// logits of 1000 neither overflow nor lose the answer: z_v − max − log Σ exp(z_u − max).
xt::xtensor<float, 1> log_softmax_row(const xt::xtensor<float, 1>& z_V);

/// Exercise 7.2: the number of parameters make_model creates for a configuration, from
/// the formula (no model built): embeddings, attention, feed-forward, norms, generator.
std::size_t count_model_parameters(const ModelConfig& config);

}  // namespace tfm::exercises
