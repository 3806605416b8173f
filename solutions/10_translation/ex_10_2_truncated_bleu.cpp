// Solution to exercise 10.2 — BLEU by hand: a translation cut short, or run on too long.
#include "10_translation/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>

namespace tfm::exercises {

double truncated_or_padded_bleu(std::size_t c, std::size_t r) {
    if (r < 4) throw std::invalid_argument("truncated_or_padded_bleu: r must be at least 4");
    // Shorter than 4 words: no 4-gram at all, so p_4 has nothing to count and BLEU is 0
    // however right the words are (and with c = 0 nothing matches either).
    if (c < 4) return 0.0;
    const double cd = double(c), rd = double(r);
    // A prefix of the reference: every one of its n-grams occurs in the reference, once,
    // so every p_n = 1, and only the brevity penalty e^{1 − r/c} is left.
    if (c <= r) return 100.0 * std::exp(1.0 - rd / cd);
    // Run on: BP = 1; the hypothesis has c − n + 1 n-grams of order n, and exactly the
    // reference's r − n + 1 match (any n-gram touching an added word is new).
    double log_sum = 0.0;
    for (std::size_t n = 1; n <= 4; ++n)
        log_sum += std::log((rd - double(n) + 1.0) / (cd - double(n) + 1.0));
    return 100.0 * std::exp(log_sum / 4.0);
}

}  // namespace tfm::exercises
