// Solution to exercise 12.1 — nucleus sampling: top-p instead of top-k.
#include "12_language_model/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace tfm::exercises {

std::vector<float> top_p_filter(const std::vector<float>& logits, double p) {
    if (logits.empty()) throw std::invalid_argument("top_p_filter: no logits");
    if (!(p > 0.0)) throw std::invalid_argument("top_p_filter: p must be above 0");
    if (p >= 1.0) return logits;
    // A stable softmax in double.
    const double max = *std::max_element(logits.begin(), logits.end());
    std::vector<double> prob(logits.size());
    double sum = 0.0;
    for (std::size_t v = 0; v < logits.size(); ++v) sum += prob[v] = std::exp(logits[v] - max);
    for (double& q : prob) q /= sum;
    // The most probable first; the nucleus ends at the first token that brings the sum to p.
    std::vector<std::size_t> order(logits.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return logits[a] > logits[b]; });
    double held = 0.0;
    float threshold = logits[order.back()];
    for (std::size_t v : order) {
        held += prob[v];
        if (held >= p) {
            threshold = logits[v];
            break;
        }
    }
    // Compare with the last kept logit, so that ties with it stay (as top-k's do).
    std::vector<float> out = logits;
    for (float& z : out)
        if (z < threshold) z = -std::numeric_limits<float>::infinity();
    return out;
}

}  // namespace tfm::exercises
