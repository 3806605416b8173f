// Tests for exercise 7.1 — the generator's log-softmax of one row.
#include <catch2/catch.hpp>

#include <cmath>

#include "07_encoder_decoder/exercises/exercises.hpp"

using tfm::exercises::log_softmax_row;

TEST_CASE("exercise 7.1: values, and exp of the row sums to one") {
    const auto y = log_softmax_row({1.0f, 2.0f, 3.0f});
    CHECK(y(2) == Approx(-0.40760596f));
    CHECK(y(0) == Approx(-2.40760596f));
    CHECK(std::exp(y(0)) + std::exp(y(1)) + std::exp(y(2)) == Approx(1.0f));
}

TEST_CASE("exercise 7.1: huge and tiny logits stay finite") {
    const auto y = log_softmax_row({1000.0f, 1001.0f, -1000.0f});
    CHECK(y(1) == Approx(-0.31326169f));
    CHECK(std::isfinite(y(2)));
    CHECK(y(2) == Approx(-2001.3132617f));
}
