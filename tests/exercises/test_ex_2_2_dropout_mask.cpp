// Tests for exercise 2.2 — inverted dropout, given its mask.
#include <catch2/catch.hpp>

#include "00_tensors/shapes.hpp"
#include "02_positional_encoding/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::apply_dropout_mask;

TEST_CASE("exercise 2.2: dropped elements are zero, kept ones scaled by 1/(1-p)") {
    const Tensor<1> x = {1, 2, 3, 4};
    const xt::xtensor<bool, 1> keep = {true, false, true, false};
    const auto y = apply_dropout_mask(x, keep, 0.5f);
    CHECK(y(0) == Approx(2.0f));
    CHECK(y(1) == 0.0f);
    CHECK(y(2) == Approx(6.0f));
    CHECK(y(3) == 0.0f);
    const auto y2 = apply_dropout_mask(x, keep, 0.2f);
    CHECK(y2(0) == Approx(1.25f));
}

TEST_CASE("exercise 2.2: the sizes must match") {
    CHECK_THROWS_AS(apply_dropout_mask(Tensor<1>{1, 2}, xt::xtensor<bool, 1>{true}, 0.1f),
                    tfm::ShapeError);
}
