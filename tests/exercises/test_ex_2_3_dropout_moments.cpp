// Tests for exercise 2.3 — what dropout does to a value, on average and in spread.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "00_tensors/random.hpp"
#include "02_positional_encoding/exercises/exercises.hpp"

using tfm::exercises::dropout_moments;
using tfm::exercises::DropoutMoments;

TEST_CASE("exercise 2.3: without dropout nothing moves") {
    tfm::Rng rng(1);
    const DropoutMoments m = dropout_moments(0.0f, 1000, rng);
    CHECK(m.mean == 1.0);
    CHECK(m.variance == Approx(0.0).margin(1e-12));
    CHECK_THROWS_AS(dropout_moments(0.1f, 0, rng), std::invalid_argument);
}

TEST_CASE("exercise 2.3: the mean stays 1, the variance is the chapter's Dropout's") {
    tfm::Rng rng(23);
    const std::size_t n = 200000;
    for (float p : {0.1f, 0.3f, 0.5f}) {
        const DropoutMoments m = dropout_moments(p, n, rng);
        INFO("p = " << p << ": mean " << m.mean << ", variance " << m.variance);
        // Each output is 0 or 1/(1 − p): a scaled Bernoulli variable. Its mean over n
        // draws has standard deviation √(p/(1 − p)/n), under 0.0023 here.
        CHECK(std::abs(m.mean - 1.0) < 0.01);
        CHECK(m.variance == Approx(p / (1.0 - p)).epsilon(0.04));
    }
}
