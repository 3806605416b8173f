// Exercise 5.1 — ReLU's backward.
//
// relu(h) = max(h, 0) has slope 1 where h > 0 and slope 0 where h < 0. So the gradient
// passes through unchanged where the unit was active and is blocked where it was not.
// (At h = 0 exactly there is no slope; use 0, as PyTorch does.)
//
// Test it with:  scripts/exercises 5.1
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<2> relu_backward(const Tensor<2>& h_NF, const Tensor<2>& da_NF) {
    // TODO(ex 5.1): check the shapes agree; dh = da where h > 0, else 0.
    throw std::logic_error("not implemented: exercise 5.1");
}

}  // namespace tfm::exercises
