// Solution to exercise 12.2 — the causal language-model loss, and its shift by one.
#include "12_language_model/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace tfm::exercises {

double next_token_loss(const xt::xtensor<float, 2>& logits_TV,
                       const std::vector<std::int64_t>& window) {
    const std::size_t T = logits_TV.shape()[0], V = logits_TV.shape()[1];
    if (window.size() != T + 1) {
        throw std::invalid_argument("next_token_loss: " + std::to_string(T) +
                                    " positions need a window of " + std::to_string(T + 1) +
                                    " ids, got " + std::to_string(window.size()));
    }
    double total = 0.0;
    for (std::size_t t = 0; t < T; ++t) {
        const float* z = &logits_TV(t, 0);
        const double max = *std::max_element(z, z + V);
        double sum = 0.0;
        for (std::size_t v = 0; v < V; ++v) sum += std::exp(double(z[v]) - max);
        const std::int64_t next = window[t + 1];  // the shift: position t predicts id t + 1
        total += -(double(z[next]) - max - std::log(sum));
    }
    return T ? total / double(T) : 0.0;
}

}  // namespace tfm::exercises
