// Exercise 14.1 (derivation) — RoPE with learned angles: the gradient of the angles.
//
// The chapter's RoPE turns pair i of a head through p·θ_i with fixed θ_i = 10000^(−2i/K),
// and its backward passes the gradient on to the input by the opposite turn. Suppose
// instead that the angles are parameters the model learns: then training also needs
// ∂L/∂θ_i. Derive it on paper first: what is the derivative of a rotation matrix with
// respect to its angle, and how does the position enter? Then code it: for every pair,
// sum over every batch entry, head and position.
//
// Afterwards: which positions move an angle most, and which gradient dy moves it not at
// all?
//
// Test it with:  scripts/exercises 14.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::vector<double> rope_angle_gradient(const Tensor<4>& x_BHLK, const Tensor<4>& dy_BHLK,
                                        const std::vector<double>& theta,
                                        std::size_t first_position) {
    // TODO(ex 14.1): check the shapes; then, pair by pair, the turned pair and its gradient
    // give each position's share of ∂L/∂θ_i.
    throw std::logic_error("not implemented: exercise 14.1");
}

}  // namespace tfm::exercises
