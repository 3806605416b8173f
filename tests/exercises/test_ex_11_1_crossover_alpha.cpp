// Tests for exercise 11.1 — when does the longer hypothesis win?
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "11_decoding/exercises/exercises.hpp"
#include "11_decoding/search.hpp"

using tfm::length_penalty;
using tfm::exercises::crossover_alpha;

TEST_CASE("exercise 11.1: the closed form, and the scores just before and after it") {
    // "A dog." (−3.0, 4 tokens) against "A dog runs on the beach." (−4.2, 8 tokens).
    const double alpha = crossover_alpha(-3.0, 4, -4.2, 8);
    CHECK(alpha == Approx(std::log(1.4) / std::log(13.0 / 9.0)).epsilon(1e-12));
    CHECK(alpha == Approx(0.9150).margin(1e-4));  // the paper's 0.6 keeps the short one
    struct Pair {
        double lp_short;
        std::size_t n_short;
        double lp_long;
        std::size_t n_long;
    };
    for (const Pair& p : {Pair{-3.0, 4, -4.2, 8}, Pair{-0.5, 1, -9.0, 30}, Pair{-7.0, 12, -7.5, 13},
                          Pair{-2.0, 2, -2.2, 60}}) {
        const double a = crossover_alpha(p.lp_short, p.n_short, p.lp_long, p.n_long);
        INFO("crossover at alpha " << a);
        REQUIRE(a > 0.0);
        const auto score = [&](double lp, std::size_t n, double al) {
            return lp / length_penalty(n, al);
        };
        // Where the scores meet, they are equal; a little before, the short one wins; a
        // little after, the long one.
        CHECK(score(p.lp_long, p.n_long, a) ==
              Approx(score(p.lp_short, p.n_short, a)).epsilon(1e-12));
        CHECK(score(p.lp_long, p.n_long, a - 1e-3) < score(p.lp_short, p.n_short, a - 1e-3));
        CHECK(score(p.lp_long, p.n_long, a + 1e-3) > score(p.lp_short, p.n_short, a + 1e-3));
    }
}

TEST_CASE("exercise 11.1: a longer and likelier hypothesis wins at once; bad input") {
    CHECK(crossover_alpha(-3.0, 4, -2.5, 9) == 0.0);
    CHECK(crossover_alpha(-3.0, 4, -3.0, 9) == 0.0);
    CHECK_THROWS_AS(crossover_alpha(-3.0, 4, -4.0, 4), std::invalid_argument);
    CHECK_THROWS_AS(crossover_alpha(-3.0, 5, -4.0, 4), std::invalid_argument);
    CHECK_THROWS_AS(crossover_alpha(0.0, 4, -4.0, 6), std::invalid_argument);
    CHECK_THROWS_AS(crossover_alpha(-3.0, 0, -4.0, 6), std::invalid_argument);
}
