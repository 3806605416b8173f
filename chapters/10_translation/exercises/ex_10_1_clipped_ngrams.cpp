// Exercise 10.1 (warm-up) — the clipped n-gram matches at the heart of BLEU.
//
// BLEU's precision for order n counts how many of the hypothesis's n-grams also occur in
// the reference, but never more often than they occur there: "the the the the" against
// "the cat" earns one match for "the", not four. Count them for one sentence pair.
//
// Test it with:  scripts/exercises 10.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

NgramMatches clipped_ngram_matches(const std::vector<std::string>& hypothesis,
                                   const std::vector<std::string>& reference, std::size_t n) {
    // TODO(ex 10.1): count each side's n-grams, then clip the hypothesis's counts.
    throw std::logic_error("not implemented: exercise 10.1");
}

}  // namespace tfm::exercises
