// exercises.hpp — chapter 10's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tfm::exercises {

/// What BLEU counts for one order n: the hypothesis's n-grams, and how many of them
/// match the reference once clipped.
struct NgramMatches {
    std::size_t matches = 0;
    std::size_t total = 0;
};

/// Exercise 10.1: the clipped n-gram matches of one tokenized hypothesis against one
/// tokenized reference, for n-grams of length `n` (n ≥ 1). An n-gram that occurs k times
/// in the hypothesis and r times in the reference contributes min(k, r) matches; total is
/// the number of n-grams of the hypothesis (0 if it is shorter than n).
NgramMatches clipped_ngram_matches(const std::vector<std::string>& hypothesis,
                                   const std::vector<std::string>& reference, std::size_t n);

/// Exercise 10.2: cut sentences, given by their lengths in the order they come (already
/// sorted by length), into consecutive batches whose padded size — number of sentences
/// times the longest of them — is at most `budget`. A sentence longer than the budget
/// gets a batch of its own. Returns the indices of each batch, in order; throws
/// std::invalid_argument if the budget is 0.
std::vector<std::vector<std::size_t>> pack_by_budget(const std::vector<std::size_t>& lengths,
                                                     std::size_t budget);

}  // namespace tfm::exercises
