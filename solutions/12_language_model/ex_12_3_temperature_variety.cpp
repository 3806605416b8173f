// Solution to exercise 12.3 — temperature against variety, measured.
#include "12_language_model/exercises/exercises.hpp"

#include <set>

#include "12_language_model/sampling.hpp"

namespace tfm::exercises {

std::vector<double> distinct_ngrams_by_temperature(GPT& model,
                                                   const std::vector<std::int64_t>& prompt,
                                                   std::size_t count, std::size_t n,
                                                   const std::vector<double>& temperatures,
                                                   std::uint64_t seed) {
    std::vector<double> variety;
    for (double temperature : temperatures) {
        SampleOptions options;
        options.temperature = temperature;
        Rng rng(seed);  // the same draws for every temperature: only τ differs
        const std::vector<std::int64_t> text = generate(model, prompt, count, options, rng);
        std::set<std::vector<std::int64_t>> distinct;
        for (std::size_t i = 0; i + n <= text.size(); ++i)
            distinct.emplace(text.begin() + std::ptrdiff_t(i),
                             text.begin() + std::ptrdiff_t(i + n));
        variety.push_back(text.size() >= n ? double(distinct.size()) / double(text.size() - n + 1)
                                           : 0.0);
    }
    return variety;
}

}  // namespace tfm::exercises
