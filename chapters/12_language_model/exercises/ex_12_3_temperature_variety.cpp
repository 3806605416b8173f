// Exercise 12.3 (experiment) — temperature against variety, measured.
//
// Temperature trades safety for variety: a cold sampler keeps to the characters the
// model likes best, a hot one wanders. Measure the variety: generate text at several
// temperatures and count how many of its n-grams are distinct.
//
// Predict first: what happens at temperature 0, where the sampler is greedy, and why?
// Where does more variety stop being better text?
//
// Test it with:  scripts/exercises 12.3
#include <stdexcept>

#include "12_language_model/sampling.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

std::vector<double> distinct_ngrams_by_temperature(GPT& model,
                                                   const std::vector<std::int64_t>& prompt,
                                                   std::size_t count, std::size_t n,
                                                   const std::vector<double>& temperatures,
                                                   std::uint64_t seed) {
    // TODO(ex 12.3): a sample per temperature, then its distinct n-grams over its n-grams.
    throw std::logic_error("not implemented: exercise 12.3");
}

}  // namespace tfm::exercises
