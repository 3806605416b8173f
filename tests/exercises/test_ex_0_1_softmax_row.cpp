// Tests for exercise 0.1 — a numerically stable softmax of one row.
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/exercises/exercises.hpp"
#include "00_tensors/shapes.hpp"

using tfm::Tensor;

using tfm::exercises::softmax_row;

TEST_CASE("exercise 0.1: softmax of small scores") {
    const Tensor<1> y = softmax_row({1.0f, 2.0f, 3.0f});
    REQUIRE(y.size() == 3);
    // e^1, e^2, e^3 over their sum.
    CHECK(y(0) == Approx(0.09003057));
    CHECK(y(1) == Approx(0.24472847));
    CHECK(y(2) == Approx(0.66524096));
}

TEST_CASE("exercise 0.1: large scores do not overflow") {
    const Tensor<1> y = softmax_row({1000.0f, 1001.0f, 1002.0f});
    for (float v : y) CHECK(std::isfinite(v));
    CHECK(y(2) == Approx(0.66524096));
}

TEST_CASE("exercise 0.1: the row sums to one, masked scores get zero weight") {
    const Tensor<1> y = softmax_row({0.5f, -1e9f, 2.0f, -3.0f});
    CHECK(y(0) + y(1) + y(2) + y(3) == Approx(1.0f));
    CHECK(y(1) == 0.0f);
}

TEST_CASE("exercise 0.1: an empty row is a shape error") {
    CHECK_THROWS_AS(softmax_row(Tensor<1>::from_shape({0})), tfm::ShapeError);
}
