// exercises.hpp — chapter 06's exercises (run `scripts/exercises` from the top).
#pragma once

#include <xtensor/xtensor.hpp>

namespace tfm::exercises {

/// Exercise 6.1: the Annotated Transformer's LayerNorm of one row:
/// y = a ⊙ (x − μ) / (σ + eps) + b with σ the *unbiased* standard deviation.
xt::xtensor<float, 1> layer_norm_row(const xt::xtensor<float, 1>& x_C, const xt::xtensor<float, 1>& a_C,
                                     const xt::xtensor<float, 1>& b_C, float eps);

/// Exercise 6.2: its backward for the input: given dy = ∂L/∂y, returns ∂L/∂x,
/// dx_i = (g_i − mean(g)) / d − x̂_i · Σ_j g_j x̂_j / ((C − 1) σ), g = a ⊙ dy, d = σ + eps.
xt::xtensor<float, 1> layer_norm_row_backward(const xt::xtensor<float, 1>& x_C,
                                              const xt::xtensor<float, 1>& a_C,
                                              const xt::xtensor<float, 1>& dy_C, float eps);

}  // namespace tfm::exercises
