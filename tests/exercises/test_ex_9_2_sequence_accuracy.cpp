// Tests for exercise 9.2 — how many sequences were copied exactly?
#include <catch2/catch.hpp>

#include "00_tensors/shapes.hpp"
#include "09_copy_task/exercises/exercises.hpp"

using tfm::exercises::sequence_accuracy;

TEST_CASE("exercise 9.2: a sequence counts only if every non-pad token is right") {
    const xt::xtensor<std::int64_t, 2> expected = {
        {1, 2, 3, 4}, {1, 5, 6, 0}, {1, 7, 8, 9}, {1, 2, 0, 0}};
    const xt::xtensor<std::int64_t, 2> predicted = {
        {1, 2, 3, 4}, {1, 5, 6, 9}, {1, 7, 2, 9}, {1, 2, 5, 5}};
    // rows 0, 1 and 3 are right (padding positions do not count); row 2 has one wrong token
    CHECK(sequence_accuracy(predicted, expected, 0) == Approx(0.75));
}

TEST_CASE("exercise 9.2: shapes must agree") {
    CHECK_THROWS_AS(
        sequence_accuracy(xt::zeros<std::int64_t>({2, 3}), xt::zeros<std::int64_t>({2, 4}), 0),
        tfm::ShapeError);
}
