// exercises.hpp — chapter 01's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstdint>

#include <xtensor/xtensor.hpp>

namespace tfm::exercises {

/// Exercise 1.1: the embedding lookup. Returns x_BLC with x[b, l, :] = lut_VC[ids[b, l], :]
/// · √C. Throws std::out_of_range if an id is negative or ≥ V (say which id, and V).
xt::xtensor<float, 3> embed_lookup(const xt::xtensor<float, 2>& lut_VC,
                                   const xt::xtensor<std::int64_t, 2>& ids_BL);

/// Exercise 1.2: the embedding backward. Adds √C · dx[b, l, :] to dlut_VC[ids[b, l], :]
/// for every position — so a token used twice collects both gradients.
void embed_backward(const xt::xtensor<std::int64_t, 2>& ids_BL,
                    const xt::xtensor<float, 3>& dx_BLC, xt::xtensor<float, 2>& dlut_VC);

}  // namespace tfm::exercises
