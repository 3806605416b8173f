// exercises.hpp — chapter 12's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "12_language_model/gpt.hpp"

namespace tfm::exercises {

/// Exercise 12.1 (extension): nucleus (top-p) filtering. Of the softmax of `logits`, keep
/// the most probable tokens, as few as possible, whose probabilities add up to at least p
/// (always at least one; a token exactly as probable as the last one kept stays too);
/// every other logit becomes −infinity. p ≥ 1 keeps them all. Throws
/// std::invalid_argument if there are no logits or p is not above 0.
std::vector<float> top_p_filter(const std::vector<float>& logits, double p);

/// A loss per character in three units.
struct LossUnits {
    double nats = 0.0;        ///< −mean ln p, what the training loop prints
    double bits = 0.0;        ///< −mean log₂ p
    double perplexity = 0.0;  ///< e^nats: as unsure as a uniform choice among this many
};

/// Exercise 12.2 (derivation): the lowest loss any model can have on the text `ids`
/// itself if each character is predicted from the `context` characters before it and
/// nothing else (context 0: from nothing at all), over the predictions at positions
/// context .. ids.size() − 1; in nats, bits and perplexity. Throws std::invalid_argument
/// if the text has no character to predict.
LossUnits best_possible_loss(const std::vector<std::int64_t>& ids, std::size_t context);

/// Exercise 12.3 (experiment): for each temperature, `count` characters generated after
/// `prompt` by chapter 12's generate (the cache on, no top-k, a generator seeded with
/// `seed` afresh for each temperature), and the variety of what was generated: the number
/// of distinct n-grams (of `n` characters) among the generated characters, divided by
/// the number of n-grams there, count − n + 1.
std::vector<double> distinct_ngrams_by_temperature(GPT& model,
                                                   const std::vector<std::int64_t>& prompt,
                                                   std::size_t count, std::size_t n,
                                                   const std::vector<double>& temperatures,
                                                   std::uint64_t seed);

}  // namespace tfm::exercises
