// Solution to exercise 12.1 — top-k filtering.
#include "12_language_model/exercises/exercises.hpp"

#include <algorithm>
#include <functional>
#include <limits>

namespace tfm::exercises {

std::vector<float> top_k_filter(const std::vector<float>& logits, std::size_t k) {
    if (k == 0 || k >= logits.size()) return logits;
    std::vector<float> sorted = logits;
    std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(k - 1), sorted.end(),
                     std::greater<float>());
    const float threshold = sorted[k - 1];
    std::vector<float> out = logits;
    for (float& z : out) {
        if (z < threshold) z = -std::numeric_limits<float>::infinity();
    }
    return out;
}

}  // namespace tfm::exercises
