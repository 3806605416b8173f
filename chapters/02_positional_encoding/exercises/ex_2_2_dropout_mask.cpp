// Exercise 2.2 — inverted dropout, given its mask.
//
// Dropped elements become 0; kept ones are divided by (1 − p) so that the expected
// value of every element is unchanged. Check the sizes first.
//
// Test it with:  scripts/exercises 2.2
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<1> apply_dropout_mask(const Tensor<1>& x, const xt::xtensor<bool, 1>& keep, float p) {
    // TODO(ex 2.2): size check, then y_i = keep_i ? x_i / (1 − p) : 0.
    throw std::logic_error("not implemented: exercise 2.2");
}

}  // namespace tfm::exercises
