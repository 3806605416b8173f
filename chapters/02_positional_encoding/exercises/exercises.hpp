// exercises.hpp — chapter 02's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 2.1: the sinusoid table [max_len, C]: PE[pos, 2i] = sin(pos / 10000^(2i/C)),
/// PE[pos, 2i+1] = cos(pos / 10000^(2i/C)). Throws std::invalid_argument for odd C.
Tensor<2> sinusoid_table(std::size_t max_len, std::size_t d_model);

/// Exercise 2.2: inverted dropout with a given mask: y_i = x_i / (1 − p) where keep_i,
/// else 0. (Backward is the very same function applied to the upstream gradient.)
/// Throws tfm::ShapeError if x and keep differ in size.
Tensor<1> apply_dropout_mask(const Tensor<1>& x, const xt::xtensor<bool, 1>& keep, float p);

}  // namespace tfm::exercises
