// Exercise 2.3 (experiment) — what dropout does to a value, on average and in spread.
//
// Inverted dropout keeps every element's expected value. But it does not keep everything:
// measure it. Run the chapter's Dropout on a long tensor of ones and compute the mean and
// the variance of what comes out, for p = 0.1, 0.3 and 0.5. Predict the variance first,
// as a formula in p. Then ask what changes for the next layer when dropout is switched
// off for evaluation.
//
// Test it with:  scripts/exercises 2.3
#include <stdexcept>

#include "02_positional_encoding/dropout.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

DropoutMoments dropout_moments(float p, std::size_t n, Rng& rng) {
    // TODO(ex 2.3): one forward of Dropout(p, rng) on n ones; their mean and variance.
    throw std::logic_error("not implemented: exercise 2.3");
}

}  // namespace tfm::exercises
