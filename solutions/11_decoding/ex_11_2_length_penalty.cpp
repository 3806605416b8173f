// Solution to exercise 11.2 — the length penalty decides which hypothesis wins.
#include "11_decoding/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>

namespace tfm::exercises {

std::size_t best_hypothesis(const std::vector<double>& log_probs,
                            const std::vector<std::size_t>& lengths, double alpha) {
    if (log_probs.empty() || log_probs.size() != lengths.size()) {
        throw std::invalid_argument(
            "best_hypothesis: need as many lengths as log-probabilities, and at least one");
    }
    std::size_t best = 0;
    double best_score = 0.0;
    for (std::size_t i = 0; i < log_probs.size(); ++i) {
        const double score = log_probs[i] / std::pow((5.0 + double(lengths[i])) / 6.0, alpha);
        if (i == 0 || score > best_score) {
            best = i;
            best_score = score;
        }
    }
    return best;
}

}  // namespace tfm::exercises
