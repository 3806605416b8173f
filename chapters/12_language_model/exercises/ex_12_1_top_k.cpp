// Exercise 12.1 — top-k filtering.
//
// A sampler that may draw any token will, now and then, draw one of the thousands of
// unlikely ones — and a single bad character can derail the rest of a sample. Top-k
// sampling draws only among the k most likely: everything else gets logit −∞, which the
// softmax turns into probability 0.
//
// Test it with:  scripts/exercises 12.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::vector<float> top_k_filter(const std::vector<float>& logits, std::size_t k) {
    // TODO(ex 12.1): find the k-th largest value, then mask everything below it.
    throw std::logic_error("not implemented: exercise 12.1");
}

}  // namespace tfm::exercises
