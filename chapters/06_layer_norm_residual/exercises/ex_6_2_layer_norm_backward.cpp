// Exercise 6.2 — LayerNorm's backward for its input.
//
// Every output depends on every input through μ and σ, so the gradient has three
// parts: the direct path, the path through the mean (which removes mean(g)), and the
// path through σ (which removes the component along x̂). The chapter derives
//     dx_i = (g_i − mean(g)) / d − x̂_i · Σ_j g_j x̂_j / ((C − 1) σ)
// with g = a ⊙ dy, d = σ + eps and x̂ = (x − μ)/d.
//
// Test it with:  scripts/exercises 6.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

xt::xtensor<float, 1> layer_norm_row_backward(const xt::xtensor<float, 1>& x_C,
                                              const xt::xtensor<float, 1>& a_C,
                                              const xt::xtensor<float, 1>& dy_C, float eps) {
    // TODO(ex 6.2): recompute μ, σ, d and x̂, then apply the formula above.
    throw std::logic_error("not implemented: exercise 6.2");
}

}  // namespace tfm::exercises
