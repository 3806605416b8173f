// Exercise 5.3 (derivation) — GELU's backward.
//
// GPT and BERT replace ReLU by GELU(x) = x·Φ(x): the input times the probability that a
// standard normal variable is below it. It has no kink, so its gradient never jumps.
// Derive GELU'(x) with the product rule (Φ' is the normal density), and find where it is
// 0: is GELU monotone, as ReLU is?
//
// Test it with:  scripts/exercises 5.3
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<2> gelu_backward(const Tensor<2>& x, const Tensor<2>& dy) {
    // TODO(ex 5.3): check the shapes; then dy ⊙ GELU'(x), element by element.
    throw std::logic_error("not implemented: exercise 5.3");
}

}  // namespace tfm::exercises
