// Exercise 9.2 — how many sequences were copied exactly?
//
// Token accuracy flatters a model: 9 right tokens out of 10 still make a wrong copy. The
// copy task is judged per sequence: right only if every (non-padding) token is right.
//
// Test it with:  scripts/exercises 9.2
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

double sequence_accuracy(const xt::xtensor<std::int64_t, 2>& predicted_BL,
                         const xt::xtensor<std::int64_t, 2>& expected_BL, std::int64_t pad) {
    // TODO(ex 9.2): check the shapes; count the rows with no mismatch at non-pad positions.
    throw std::logic_error("not implemented: exercise 9.2");
}

}  // namespace tfm::exercises
