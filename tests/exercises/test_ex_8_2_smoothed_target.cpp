// Tests for exercise 8.2 — the label-smoothed target of one label.
#include <catch2/catch.hpp>

#include "08_training/exercises/exercises.hpp"

using tfm::exercises::smoothed_target;

TEST_CASE("exercise 8.2: confidence on the label, the rest spread, none on padding") {
    const auto q = smoothed_target(2, 5, 0, 0.4f);
    CHECK(q(2) == Approx(0.6f));
    CHECK(q(1) == Approx(0.4f / 3));
    CHECK(q(4) == Approx(0.4f / 3));
    CHECK(q(0) == 0.0f);
    CHECK(q(0) + q(1) + q(2) + q(3) + q(4) == Approx(1.0f));
}

TEST_CASE("exercise 8.2: a padding label has an all-zero target") {
    const auto q = smoothed_target(0, 5, 0, 0.1f);
    for (float v : q) CHECK(v == 0.0f);
}
