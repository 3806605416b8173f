// Chapter 00: sums and maxima in vector lanes — every length's remainder, exact where
// exact arithmetic allows, and within rounding of a double-precision sum otherwise.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "00_tensors/lanes.hpp"

using namespace tfm;

TEST_CASE("sum_in_lanes adds every term once, for every length and remainder") {
    // Integers are summed exactly in double, whatever the order: any term dropped or
    // counted twice (the last n mod 8 especially) shows as a wrong integer.
    for (std::size_t n = 0; n <= 40; ++n) {
        const double got = sum_in_lanes(n, [](std::size_t i) { return double(i + 1); });
        INFO("n = " << n);
        CHECK(got == double(n * (n + 1) / 2));
    }
}

TEST_CASE("sum_in_lanes is a double-precision sum of float terms") {
    // 10⁶ terms of 0.1f: a float accumulator ends about 1% (some 1,000) off; a double one
    // within a thousandth.
    const float tenth = 0.1f;
    const double got = sum_in_lanes(1000000, [&](std::size_t) { return double(tenth); });
    CHECK(std::abs(got - 1e6 * double(tenth)) < 1e-3);
}

TEST_CASE("max_in_lanes is the maximum, wherever it stands, and −∞ of nothing") {
    for (std::size_t n = 1; n <= 40; ++n) {
        for (std::size_t at = 0; at < n; ++at) {
            std::vector<float> x(n, -3.0f);
            x[at] = 2.5f;
            INFO("n = " << n << ", maximum at " << at);
            CHECK(max_in_lanes(n, x.data()) == 2.5f);
        }
    }
    CHECK(max_in_lanes(0, nullptr) == -std::numeric_limits<float>::infinity());
    const std::vector<float> negative = {-5.0f, -1e9f, -7.0f};
    CHECK(max_in_lanes(negative.size(), negative.data()) == -5.0f);
}
