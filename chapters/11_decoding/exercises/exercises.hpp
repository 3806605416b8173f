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
/// values are projected once, 2MC² a layer; a recomputing step t runs all t positions —
/// t(6C² + 2CF) — fills a t × t and a t × M grid of weights, 2t²C + 2tMC, and projects
/// the memory again, 2MC². Both run the generator on the newest position only, CV a
/// step; the encoder, the same for both, is not counted. Returns the two totals, from
/// closed forms in L (no loop over the steps).
DecodingWork greedy_decoding_work(std::size_t N, std::size_t C, std::size_t F, std::size_t V,
                                  std::size_t M, std::size_t L);

/// What beam search of one width found, over a set of sentences (exercise 11.3).
struct SearchOutcome {
    std::size_t beam = 0;
    std::size_t search_errors = 0;  ///< sentences whose result is not the most probable output
    double mean_tokens = 0.0;       ///< mean tokens of the results, `</s>` not counted
};

/// Exercise 11.3 (experiment): decodes each of `sources` (ids without `<s>` and `</s>`)
/// with chapter 11's beam search and no length penalty (α = 0), outputs of at most the
/// source's length + `extra` tokens, at each beam width of `beams`, and measures how
/// many of the results are search errors — a log-probability below that of the model's
/// most probable output of at most that length (within 1e-6) — and their mean length.
std::vector<SearchOutcome> search_errors_by_beam(
    EncoderDecoder& model, const std::vector<std::vector<std::int64_t>>& sources,
    const std::vector<std::size_t>& beams, std::size_t extra);

}  // namespace tfm::exercises
