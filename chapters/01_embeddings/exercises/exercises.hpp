// exercises.hpp — chapter 01's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstdint>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 1.1: the embedding lookup. Returns x_BLC with x[b, l, :] = lut_VC[ids[b, l], :]
/// · √C. Throws std::out_of_range if an id is negative or ≥ V (say which id, and V).
Tensor<3> embed_lookup(const Tensor<2>& lut_VC, const xt::xtensor<std::int64_t, 2>& ids_BL);

/// Exercise 1.2: the embedding backward. Adds √C · dx[b, l, :] to dlut_VC[ids[b, l], :]
/// for every position — so a token used twice collects both gradients.
void embed_backward(const xt::xtensor<std::int64_t, 2>& ids_BL, const Tensor<3>& dx_BLC,
                    Tensor<2>& dlut_VC);

}  // namespace tfm::exercises
