// Tests for exercise 10.1 — the clipped n-gram matches at the heart of BLEU.
#include <catch2/catch.hpp>

#include "10_translation/bleu.hpp"
#include "10_translation/exercises/exercises.hpp"

using tfm::exercises::clipped_ngram_matches;
using Words = std::vector<std::string>;

TEST_CASE("exercise 10.1: a repeated word earns only as many matches as the reference has") {
    const auto m =
        clipped_ngram_matches({"the", "the", "the", "the"}, {"the", "cat", "sat", "the"}, 1);
    CHECK(m.matches == 2);
    CHECK(m.total == 4);
}

TEST_CASE("exercise 10.1: bigrams, and hypotheses shorter than n") {
    const Words hyp = {"a", "b", "a", "b", "c"}, ref = {"a", "b", "c", "a"};
    const auto two = clipped_ngram_matches(hyp, ref, 2);  // ab ba ab bc vs ab bc ca
    CHECK(two.total == 4);
    CHECK(two.matches == 2);  // one "a b" (clipped), one "b c"
    const auto four = clipped_ngram_matches({"x", "y"}, ref, 4);
    CHECK(four.total == 0);
    CHECK(four.matches == 0);
}

TEST_CASE("exercise 10.1: agrees with the chapter's BLEU statistics on a real sentence") {
    const Words hyp = tfm::tokenize_13a("A man in a blue shirt is standing on a ladder and a man.");
    const Words ref = tfm::tokenize_13a("A man in a blue shirt stands on a ladder, a man waves.");
    const tfm::BleuStats s = tfm::sentence_stats(hyp, ref);
    for (std::size_t n = 1; n <= 4; ++n) {
        const auto m = clipped_ngram_matches(hyp, ref, n);
        INFO("n = " << n);
        CHECK(m.matches == s.matches[n - 1]);
        CHECK(m.total == s.totals[n - 1]);
    }
}
