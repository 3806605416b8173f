// Tests for exercise 11.2 — the length penalty decides which hypothesis wins.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "11_decoding/exercises/exercises.hpp"

using tfm::exercises::best_hypothesis;

TEST_CASE(
    "exercise 11.2: without a penalty the most probable wins; with one, a longer hypothesis can") {
    // A short, likelier hypothesis and a longer one: "A dog." against "A dog runs on the beach."
    const std::vector<double> log_probs = {-3.0, -4.2};
    const std::vector<std::size_t> lengths = {4, 8};
    CHECK(best_hypothesis(log_probs, lengths, 0.0) == 0);
    CHECK(best_hypothesis(log_probs, lengths, 0.6) ==
          0);  // −3/1.28 = −2.35 beats −4.2/1.59 = −2.64
    CHECK(best_hypothesis(log_probs, lengths, 1.0) ==
          1);  // −3/1.5 = −2.00 loses to −4.2/2.17 = −1.94
}

TEST_CASE("exercise 11.2: the first of equal scores, and bad input") {
    CHECK(best_hypothesis({-2.0, -2.0}, {3, 3}, 0.6) == 0);
    CHECK_THROWS_AS(best_hypothesis({}, {}, 0.6), std::invalid_argument);
    CHECK_THROWS_AS(best_hypothesis({-1.0}, {1, 2}, 0.6), std::invalid_argument);
}
