// exercises.hpp — chapter 11's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "07_encoder_decoder/encoder_decoder.hpp"

namespace tfm::exercises {

/// Exercise 11.1 (derivation): two finished hypotheses, a shorter one with log-probability
/// log_p_short and `short_length` tokens and a longer one with log_p_long and
/// `long_length` tokens (`</s>` counted in both). Returns the smallest α ≥ 0 at which the
/// longer one's score log P / lp(length), lp = ((5 + length) / 6)^α, is at least the
/// shorter one's — 0 if it already is without a penalty. Throws std::invalid_argument
/// unless long_length > short_length ≥ 1 and both log-probabilities are below 0.
double crossover_alpha(double log_p_short, std::size_t short_length, double log_p_long,
                       std::size_t long_length);

/// Multiply-adds of one greedy translation, with the cache and without it.
struct DecodingWork {
    double cached = 0.0;
    double recomputing = 0.0;
};

/// Exercise 11.2 (derivation): the multiply-adds of greedily decoding L tokens (steps
/// t = 1..L, step t reading t tokens: `<s>` and the t − 1 written so far) against a
/// source of M tokens, with a model of N decoder layers, width C, feed-forward width F
/// and V target words, counted as the chapter's cost section counts them. Per layer, a
/// cached step t costs 4C² (self-attention's projections) + 2tC (its query against t
/// keys, and the weighted sum of t values) + 2C² (cross-attention's W_Q, W_O) + 2MC (its
/// query against the memory) + 2CF (the feed-forward network), and the memory's keys and
/// values are projected once, 2MC² a layer. A recomputing step t runs all t positions
/// through every layer, each as the cached step runs its one, and projects the memory's
/// keys and values again, as the cost section describes; derive its terms. Its self-
/// attention's products fill the whole t × t grid of scores (the mask only zeroes the
/// weights above the diagonal afterwards): count every entry. Both run the generator on
/// the newest position only, CV a step; the encoder, the same for both, is not counted.
/// Returns the two totals, from closed forms in L (no loop over the steps).
DecodingWork greedy_decoding_work(std::size_t N, std::size_t C, std::size_t F, std::size_t V,
                                  std::size_t M, std::size_t L);

/// What the search of one beam width found, over a set of sentences (exercise 11.3).
struct SearchOutcome {
    std::size_t beam = 0;
    std::size_t search_errors = 0;  ///< sentences whose result is not the most probable output
    double mean_tokens = 0.0;       ///< mean tokens of the results, `</s>` not counted
};

/// Exercise 11.3 (experiment): decodes each of `sources` (ids without `<s>` and `</s>`) at
/// each width of `beams` with chapter 11's tfm::decode_sentences — DecodeOptions with
/// beam = the width, no length penalty (alpha = 0), `extra` as given and the rest at their
/// defaults, so that outputs have at most the source's length + `extra` tokens. Width 1
/// is greedy search there (the chapter's beam search with K = 1 is not quite greedy);
/// wider is beam search. Measures how many of the results are search errors — a
/// log-probability below that of the model's most probable output of at most that length
/// (within 1e-6) — and their mean length (Hypothesis::tokens, `</s>` not among them).
std::vector<SearchOutcome> search_errors_by_beam(
    EncoderDecoder& model, const std::vector<std::vector<std::int64_t>>& sources,
    const std::vector<std::size_t>& beams, std::size_t extra);

}  // namespace tfm::exercises
