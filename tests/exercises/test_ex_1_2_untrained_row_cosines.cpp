// Tests for exercise 1.2 — how different are the vectors of an untrained table?
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "00_tensors/random.hpp"
#include "01_embeddings/exercises/exercises.hpp"

using tfm::exercises::RowCosines;
using tfm::exercises::untrained_row_cosines;

TEST_CASE("exercise 1.2: a table one number wide") {
    // With C = 1 every cosine is ±1: two numbers either agree in sign or do not.
    tfm::Rng rng(1);
    const RowCosines one = untrained_row_cosines(5, 1, rng);
    CHECK(one.mean_abs == Approx(1.0));
    CHECK(one.max_abs == Approx(1.0));
    CHECK_THROWS_AS(untrained_row_cosines(1, 8, rng), std::invalid_argument);
}

TEST_CASE("exercise 1.2: random rows are nearly orthogonal, more so as C grows") {
    tfm::Rng rng(12);
    const double pi = 3.14159265358979;
    double previous_max = 1.0;
    for (std::size_t C : {16, 64, 256}) {
        const RowCosines r = untrained_row_cosines(200, C, rng);
        INFO("C = " << C << ": mean |cos| " << r.mean_abs << ", largest " << r.max_abs);
        // For independent Gaussian vectors, cos ≈ N(0, 1/C), whose |·| has mean √(2/(πC)).
        CHECK(r.mean_abs == Approx(std::sqrt(2.0 / (pi * double(C)))).epsilon(0.05));
        // The worst of 19,900 pairs is a few standard deviations out, and falls with C too.
        CHECK(r.max_abs > 3.0 / std::sqrt(double(C)));
        CHECK(r.max_abs < 6.0 / std::sqrt(double(C)));
        CHECK(r.max_abs < previous_max);
        previous_max = r.max_abs;
    }
}
