// Tests for exercise 2.1 — the sinusoid table of the positional encoding.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "02_positional_encoding/exercises/exercises.hpp"

using tfm::exercises::sinusoid_table;

TEST_CASE("exercise 2.1: values at chosen positions") {
    const auto pe = sinusoid_table(100, 4);
    REQUIRE(pe.shape()[0] == 100);
    REQUIRE(pe.shape()[1] == 4);
    CHECK(pe(0, 0) == 0.0f);  // sin 0
    CHECK(pe(0, 1) == 1.0f);  // cos 0
    CHECK(pe(1, 0) == Approx(std::sin(1.0)));
    CHECK(pe(1, 1) == Approx(std::cos(1.0)));
    CHECK(pe(10, 2) == Approx(std::sin(10.0 / 100.0)).margin(1e-6));  // 10000^(2/4) = 100
    CHECK(pe(10, 3) == Approx(std::cos(10.0 / 100.0)).margin(1e-6));
    CHECK(pe(57, 0) == Approx(std::sin(57.0)).margin(1e-5));
}

TEST_CASE("exercise 2.1: every pair lies on the unit circle; odd C is rejected") {
    const auto pe = sinusoid_table(30, 10);
    for (std::size_t pos = 0; pos < 30; ++pos) {
        for (std::size_t i = 0; i < 5; ++i) {
            CHECK(pe(pos, 2 * i) * pe(pos, 2 * i) + pe(pos, 2 * i + 1) * pe(pos, 2 * i + 1) ==
                  Approx(1.0f).epsilon(1e-5));
        }
    }
    CHECK_THROWS_AS(sinusoid_table(10, 7), std::invalid_argument);
}
