// Tests for exercise 1.3 — how much of the table does one batch train?
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "00_tensors/random.hpp"
#include "01_embeddings/exercises/exercises.hpp"

using tfm::exercises::fraction_of_rows_updated;

namespace {
// The expected fraction: row v is missed by all n draws with probability (1 − p_v)^n.
double expected_fraction(std::size_t V, std::size_t n, double s) {
    double total = 0.0;
    for (std::size_t v = 0; v < V; ++v) total += std::pow(double(v + 1), -s);
    double hit = 0.0;
    for (std::size_t v = 0; v < V; ++v) {
        hit += 1.0 - std::pow(1.0 - std::pow(double(v + 1), -s) / total, double(n));
    }
    return hit / double(V);
}
}  // namespace

TEST_CASE("exercise 1.3: every row a batch reads gets a gradient, and no other") {
    tfm::Rng rng(13);
    // Ten thousand uniform draws over 10 tokens read every one of them.
    CHECK(fraction_of_rows_updated(10, 4, 10000, 0.0, rng) == 1.0);
    // One token reads one row.
    CHECK(fraction_of_rows_updated(50, 4, 1, 1.0, rng) == Approx(0.02));
    CHECK(fraction_of_rows_updated(50, 4, 0, 1.0, rng) == 0.0);
    CHECK_THROWS_AS(fraction_of_rows_updated(0, 4, 10, 1.0, rng), std::invalid_argument);
    CHECK_THROWS_AS(fraction_of_rows_updated(10, 4, 10, -1.0, rng), std::invalid_argument);
}

TEST_CASE("exercise 1.3: the measured fraction is the expected one, uniform and Zipfian") {
    tfm::Rng rng(31);
    const double uniform = fraction_of_rows_updated(5000, 8, 2000, 0.0, rng);
    const double zipf = fraction_of_rows_updated(5000, 8, 2000, 1.0, rng);
    INFO("rows updated by 2,000 tokens of a 5,000-token vocabulary: uniform " << uniform
                                                                              << ", Zipf " << zipf);
    CHECK(uniform == Approx(expected_fraction(5000, 2000, 0.0)).epsilon(0.03));  // 0.330
    CHECK(zipf == Approx(expected_fraction(5000, 2000, 1.0)).epsilon(0.03));     // 0.157
}
