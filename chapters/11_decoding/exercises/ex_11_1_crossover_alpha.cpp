// Exercise 11.1 (derivation) — when does the longer hypothesis win?
//
// With α = 0 beam search ranks finished hypotheses by their log-probability, and the
// shorter one usually wins: every token costs probability. As α grows, the length
// penalty forgives length. For two given hypotheses, find the α at which the longer one
// draws level — on paper first: write down when score(long) ≥ score(short), remember
// which way an inequality turns when both sides are negative, and solve for α.
//
// Try it on "A dog." (log P = −3.0, 4 tokens) against "A dog runs on the beach." (−4.2,
// 8 tokens): is the paper's α = 0.6 enough?
//
// Test it with:  scripts/exercises 11.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

double crossover_alpha(double log_p_short, std::size_t short_length, double log_p_long,
                       std::size_t long_length) {
    // TODO(ex 11.1): check the input, then the closed form for α (0 if it would be negative).
    throw std::logic_error("not implemented: exercise 11.1");
}

}  // namespace tfm::exercises
