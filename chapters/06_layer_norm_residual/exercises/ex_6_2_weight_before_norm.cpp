// Exercise 6.2 (experiment) — a weight in front of a norm.
//
// A norm divides by the size of what it receives, so whatever comes before it loses its
// scale. Measure what that does to training: put a bias-free Linear layer in front of the
// chapter's LayerNorm, and compare forward and backward with its weight W and with αW.
// Predict three things first: does the output change? how does the weight's gradient
// change with α? and which direction does the gradient point in, relative to W itself?
// Then think about what repeated gradient steps do to ‖W‖.
//
// Test it with:  scripts/exercises 6.2
#include <stdexcept>

#include "00_tensors/linear.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

ScaledWeight scale_weight_before_norm(double alpha, std::size_t C, Rng& rng) {
    // TODO(ex 6.2): build, draw x and ∂L/∂y; forward and backward at W and at αW; compare.
    throw std::logic_error("not implemented: exercise 6.2");
}

}  // namespace tfm::exercises
