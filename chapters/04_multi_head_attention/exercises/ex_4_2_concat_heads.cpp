// Exercise 4.2 — concatenating the heads again.
//
// After attention each head has produced [L, K] outputs; the paper concatenates them
// into [L, H·K] before the output projection W_O. Undo exercise 4.1's rearrangement.
//
// Test it with:  scripts/exercises 4.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<3> concat_heads(const Tensor<4>& x_BHLK) {
    // TODO(ex 4.2): out(b, l, h·K + k) = x(b, h, l, k).
    throw std::logic_error("not implemented: exercise 4.2");
}

}  // namespace tfm::exercises
