// Exercise 10.2 (derivation) — BLEU by hand: a translation cut short, or run on too long.
//
// Take a reference of r words, all different, and a hypothesis that is its first c words
// — or, for c > r, all of it followed by c − r words the reference does not have. Work
// out on paper, for every c, how many n-grams of each order the hypothesis has and how
// many of them match, what the brevity penalty is, and so what BLEU scores; then write
// the result as a closed form in c and r. Three regimes, one of them a surprise: a
// perfect but short translation.
//
// Which hurts more, missing 10% of the words or adding 10% too many?
//
// Test it with:  scripts/exercises 10.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

double truncated_or_padded_bleu(std::size_t c, std::size_t r) {
    // TODO(ex 10.2): the precisions p_1..p_4 and the brevity penalty as functions of c and
    // r, then 100 · BP · (p_1 p_2 p_3 p_4)^(1/4).
    throw std::logic_error("not implemented: exercise 10.2");
}

}  // namespace tfm::exercises
