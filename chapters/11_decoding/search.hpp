// search.hpp — greedy search and beam search over a step decoder (chapter 11).
//
// Greedy search takes the most probable token at every step. It is fast and often good,
// but a token that looks best now can force a worse sentence later. Beam search keeps
// the K best partial translations ("beams") of each sentence instead, extends each by
// every token, and keeps the K best of the extensions.
//
// Comparing sentences of different lengths needs care: every token multiplies the
// probability by a number below 1, so raw log-probabilities favour short outputs. The
// paper (§6.1) uses beam size 4 and the length penalty of Wu et al. (2016, GNMT),
//
//     score(Y) = log P(Y | X) / lp(Y),    lp(Y) = ((5 + |Y|) / 6)^α,   α = 0.6,
//
// and a maximum output length of the source length + 50. A hypothesis that writes </s>
// is finished; it is kept until no open beam can beat it. Because log-probabilities only
// fall as a beam grows and lp only grows with length, an open beam with log-probability s
// can at best reach s / lp(the maximum length): once that is below the best finished
// score, the sentence is done.
//
// Both searches run a batch of sentences at once on one StepDecoder: its rows are the
// sentences (greedy) or the sentences' open beams (beam search), and select() keeps the
// caches in step with the surviving rows — finished sentences leave the batch and cost
// nothing more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "incremental.hpp"

namespace tfm {

/// GNMT's length penalty lp = ((5 + length) / 6)^α.
double length_penalty(std::size_t length, double alpha);

/// One finished translation: its tokens (without `<s>` and `</s>`), log P(Y | X) with `</s>`
/// if it was written, and its score log P / lp(|Y|) (|Y| counting `</s>`).
struct Hypothesis {
    std::vector<std::int64_t> tokens;
    double log_prob = 0.0;
    double score = 0.0;
};

/// One step of a search for one sentence, as the book's Look inside page draws it: the
/// hypotheses still open after the step, and those that finished at it (with `</s>` or at
/// the length limit). An open hypothesis's tokens are its prefix so far; its score is
/// log P / lp(prefix length) in beam search, log P in greedy search (which ranks nothing).
/// A beam search step after which no open beam could beat the best finished hypothesis
/// lists no open ones: the sentence is done.
struct SearchStep {
    std::vector<Hypothesis> open;
    std::vector<Hypothesis> finished;
};

/// A search's record, if asked for: per sentence, one SearchStep for each step it took.
using SearchTrace = std::vector<std::vector<SearchStep>>;

struct SearchLimits {
    std::int64_t bos = 0;    ///< the start token fed first
    std::int64_t eos = 1;    ///< the token that finishes a sentence
    std::size_t extra = 50;  ///< at most (source length + extra) tokens, `</s>` included,
                             ///< and never more than max_output_tokens allows
};

/// The most tokens (`</s>` included) an output of a source of `source_length` tokens may
/// have: source length + `extra`, and at most `positions` − 1, so that the output read
/// back after `<s>` still fits the model's `positions` (chapter 10's decoder keeps the same
/// margin).
std::size_t max_output_tokens(std::size_t source_length, std::size_t extra, std::size_t positions);

/// Greedy search for every row of `decoder` (which must not have been stepped yet).
/// `source_lengths[s]` is sentence s's length without `<s>` and `</s>`. With `compact`,
/// finished sentences are removed from the batch; without, they stay (as chapter 10's
/// decoder keeps them) and their outputs are ignored. With `trace`, every step is recorded.
std::vector<Hypothesis> greedy_search(StepDecoder& decoder,
                                      const std::vector<std::size_t>& source_lengths,
                                      const SearchLimits& limits = {}, bool compact = true,
                                      SearchTrace* trace = nullptr);

/// Beam search with `beam` beams per sentence and length penalty α, over a decoder with
/// one row per sentence (not yet stepped). Returns the best hypothesis of each sentence.
/// With `trace`, every step is recorded; the result does not change.
std::vector<Hypothesis> beam_search(StepDecoder& decoder,
                                    const std::vector<std::size_t>& source_lengths,
                                    std::size_t beam, double alpha, const SearchLimits& limits = {},
                                    SearchTrace* trace = nullptr);

}  // namespace tfm
