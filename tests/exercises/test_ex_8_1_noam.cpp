// Tests for exercise 8.1 — the Noam learning-rate schedule.
#include <catch2/catch.hpp>

#include <cmath>

#include "08_training/exercises/exercises.hpp"

using tfm::exercises::noam;

TEST_CASE("exercise 8.1: the Annotated Transformer's example value and the peak") {
    CHECK(0.5 * noam(1, 512, 1.0, 400) == Approx(2.76e-6).epsilon(1e-3));
    CHECK(noam(0, 512, 1.0, 400) == noam(1, 512, 1.0, 400));
    CHECK(noam(400, 512, 1.0, 400) > noam(399, 512, 1.0, 400));
    CHECK(noam(400, 512, 1.0, 400) > noam(401, 512, 1.0, 400));
    CHECK(noam(10000, 256, 2.0, 4000) == Approx(2.0 / 16.0 / 100.0));
}
