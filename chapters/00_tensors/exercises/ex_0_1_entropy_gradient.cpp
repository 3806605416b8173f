// Exercise 0.1 (derivation) — the gradient of a softmax's entropy.
//
// The entropy H = −Σ p_i log p_i of p = softmax(x) measures how spread out the weights
// are: log V for a uniform row, 0 when one entry takes everything. Attention rows
// (chapter 03) and the model's predictions (chapter 08) are such rows, and a loss may
// reward or punish their entropy — so what is ∂H/∂x? The chapter derives the softmax's
// backward; go one step further on paper first: the gradient of H with respect to p,
// then through the softmax. Simplify until it needs nothing but p and H itself. Then
// look at the row with a masked score of −1e9: what does your formula compute there?
//
// Test it with:  scripts/exercises 0.1
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<1> softmax_entropy_gradient(const Tensor<1>& x_V) {
    // TODO(ex 0.1): reject an empty row; then ∂H/∂x, finite for every score.
    throw std::logic_error("not implemented: exercise 0.1");
}

}  // namespace tfm::exercises
