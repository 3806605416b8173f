// Exercise 0.1 — a numerically stable softmax of one row.
//
// softmax(x)_i = exp(x_i) / Σ_j exp(x_j). Written exactly like that, a score of 100
// overflows float32 (exp(89) is already infinite) and the result is NaN. Make it
// stable: see the chapter's "Softmax" section, and the hint `scripts/exercises` prints.
//
// Test it with:  scripts/exercises        (or: scripts/exercises 0.1)
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<1> softmax_row(const Tensor<1>& x_V) {
    // TODO(ex 0.1): throw tfm::ShapeError if x_V is empty; otherwise return its softmax.
    throw std::logic_error("not implemented: exercise 0.1");
}

}  // namespace tfm::exercises
