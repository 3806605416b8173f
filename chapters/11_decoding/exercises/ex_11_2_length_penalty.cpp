// Exercise 11.2 — the length penalty decides which hypothesis wins.
//
// Every token multiplies a translation's probability by a number below 1, so the
// shortest hypothesis tends to have the highest log-probability. Dividing by GNMT's
// length penalty lp = ((5 + length) / 6)^α gives longer hypotheses a chance: with α = 0
// nothing changes, and the larger α, the more length is forgiven.
//
// Test it with:  scripts/exercises 11.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::size_t best_hypothesis(const std::vector<double>& log_probs,
                            const std::vector<std::size_t>& lengths, double alpha) {
    // TODO(ex 11.2): score each hypothesis and keep the index of the best.
    throw std::logic_error("not implemented: exercise 11.2");
}

}  // namespace tfm::exercises
