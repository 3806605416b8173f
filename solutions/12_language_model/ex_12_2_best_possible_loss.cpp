// Solution to exercise 12.2 — loss, bits and perplexity: how low can the loss go?
#include "12_language_model/exercises/exercises.hpp"

#include <cmath>
#include <map>
#include <stdexcept>

namespace tfm::exercises {

LossUnits best_possible_loss(const std::vector<std::int64_t>& ids, std::size_t context) {
    if (ids.size() <= context)
        throw std::invalid_argument("best_possible_loss: no character to predict");
    // For one context seen k times, followed by character v k_v times, the loss
    // −Σ_v k_v ln q_v is lowest at q_v = k_v / k (Gibbs' inequality: the cross-entropy
    // of p against q is at least p's entropy, equal only at q = p). So the best model
    // predicts the counted frequencies, and its loss is the conditional entropy.
    using Context = std::vector<std::int64_t>;
    std::map<Context, std::size_t> seen;
    std::map<std::pair<Context, std::int64_t>, std::size_t> followed;
    for (std::size_t i = context; i < ids.size(); ++i) {
        Context c(ids.begin() + std::ptrdiff_t(i - context), ids.begin() + std::ptrdiff_t(i));
        ++seen[c];
        ++followed[{std::move(c), ids[i]}];
    }
    double total = 0.0;
    for (const auto& [key, k_v] : followed)
        total -= double(k_v) * std::log(double(k_v) / double(seen.at(key.first)));
    LossUnits u;
    u.nats = total / double(ids.size() - context);
    u.bits = u.nats / std::log(2.0);
    u.perplexity = std::exp(u.nats);
    return u;
}

}  // namespace tfm::exercises
