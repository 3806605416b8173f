// Tests for exercise 10.2 — BLEU by hand: a translation cut short, or run on too long.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

#include "10_translation/bleu.hpp"
#include "10_translation/exercises/exercises.hpp"

using tfm::exercises::truncated_or_padded_bleu;

namespace {
// The sentences the exercise describes, scored by the chapter's corpus_bleu.
double counted_bleu(std::size_t c, std::size_t r) {
    std::string ref, hyp;
    for (std::size_t i = 0; i < r; ++i) ref += (i ? " w" : "w") + std::to_string(i);
    for (std::size_t i = 0; i < c; ++i)
        hyp += (i ? " " : "") + (i < r ? "w" + std::to_string(i) : "x" + std::to_string(i));
    return tfm::corpus_bleu({hyp}, {ref}).score;
}
}  // namespace

TEST_CASE("exercise 10.2: the closed form equals the counted BLEU for every length") {
    for (std::size_t r : {4, 5, 12, 30}) {
        for (std::size_t c = 0; c <= 2 * r + 3; ++c) {
            INFO("c = " << c << ", r = " << r);
            CHECK(truncated_or_padded_bleu(c, r) == Approx(counted_bleu(c, r)).margin(1e-9));
        }
    }
}

TEST_CASE("exercise 10.2: exact values in each regime") {
    // Half the reference: every precision 1, BP = e^{1 − 2} = 1/e.
    CHECK(truncated_or_padded_bleu(6, 12) == Approx(100.0 / std::exp(1.0)).epsilon(1e-12));
    CHECK(truncated_or_padded_bleu(12, 12) == Approx(100.0).epsilon(1e-12));
    // Three words, all right: there is no 4-gram to count, so the score is 0.
    CHECK(truncated_or_padded_bleu(3, 12) == 0.0);
    // Four words too many on four: p_n = (5 − n)/(9 − n), BP = 1.
    CHECK(truncated_or_padded_bleu(8, 4) ==
          Approx(100.0 * std::pow(4.0 / 8.0 * 3.0 / 7.0 * 2.0 / 6.0 * 1.0 / 5.0, 0.25))
              .epsilon(1e-12));
    CHECK_THROWS_AS(truncated_or_padded_bleu(5, 3), std::invalid_argument);
}
