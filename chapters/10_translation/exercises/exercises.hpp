// exercises.hpp — chapter 10's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tfm::exercises {

/// What BLEU counts for one order n: the hypothesis's n-grams, and how many of them
/// match the reference once clipped.
struct NgramMatches {
    std::size_t matches = 0;
    std::size_t total = 0;
};

/// Exercise 10.1 (warm-up): the clipped n-gram matches of one tokenized hypothesis against
/// one tokenized reference, for n-grams of length `n` (n ≥ 1). An n-gram that occurs k
/// times in the hypothesis and r times in the reference contributes min(k, r) matches;
/// total is the number of n-grams of the hypothesis (0 if it is shorter than n).
NgramMatches clipped_ngram_matches(const std::vector<std::string>& hypothesis,
                                   const std::vector<std::string>& reference, std::size_t n);

/// Exercise 10.2 (derivation): the corpus BLEU, as chapter 10 computes it, of a corpus of
/// one sentence whose reference is r ≥ 4 words, all different, and whose hypothesis has
/// c words: for c ≤ r, the first c words of the reference; for c > r, the whole
/// reference followed by c − r further words, all different and none of them in the
/// reference. Computed from a closed form in c and r, not by counting n-grams.
/// Throws std::invalid_argument if r < 4.
double truncated_or_padded_bleu(std::size_t c, std::size_t r);

/// One training run of exercise 10.3.
struct BudgetRun {
    std::size_t budget = 0;  ///< padded tokens per batch and side
    std::size_t steps = 0;   ///< optimiser steps taken over all epochs
    double bleu = 0.0;       ///< test BLEU of the trained model, greedy
};

/// Exercise 10.3 (experiment): for each budget, trains chapter 10's few-second run on the
/// made-up language in `data_dir` (made_up_run_options with `seed`, then that budget and
/// `epochs` epochs), saved in `work_dir/budget_B` (B the budget), and measures the optimiser
/// steps it took and its test BLEU (greedy, on the test_2016_flickr split of `data_dir`).
/// Creates `work_dir` first, parents included, if it does not exist yet: a training run
/// makes its own directory but not the ones above it. Returns one BudgetRun per budget,
/// in the order given.
std::vector<BudgetRun> bleu_against_budget(const std::string& data_dir, const std::string& work_dir,
                                           const std::vector<std::size_t>& budgets,
                                           std::size_t epochs, std::uint64_t seed);

}  // namespace tfm::exercises
