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
    // One Zipfian batch's fraction varies by about 2% of itself from draw to draw, so the
    // test averages eight batches: any correct sampler then lands within 3%, whatever
    // order it draws its random numbers in, while a sampler off by one in the rank
    // (1/(v + 2) instead of 1/(v + 1)) lands 9% too high.
    auto mean_of_eight = [&](double s) {
        double total = 0.0;
        for (int i = 0; i < 8; ++i) total += fraction_of_rows_updated(5000, 8, 2000, s, rng);
        return total / 8.0;
    };
    const double uniform = mean_of_eight(0.0);
    const double zipf = mean_of_eight(1.0);
    INFO("rows updated by 2,000 tokens of a 5,000-token vocabulary: uniform " << uniform
                                                                              << ", Zipf " << zipf);
    CHECK(uniform == Approx(expected_fraction(5000, 2000, 0.0)).epsilon(0.03));  // 0.330
    CHECK(zipf == Approx(expected_fraction(5000, 2000, 1.0)).epsilon(0.03));     // 0.157
}
