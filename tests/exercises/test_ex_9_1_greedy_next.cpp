// Tests for exercise 9.1 — the greedy choice of the next token.
#include <catch2/catch.hpp>

#include "09_copy_task/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::greedy_next_tokens;

TEST_CASE("exercise 9.1: the most probable token of every row, the first on a tie") {
    const Tensor<2> logp = {
        {-3.0f, -0.1f, -2.5f, -4.0f}, {-0.5f, -2.0f, -3.0f, -0.2f}, {-1.0f, -1.0f, -2.0f, -3.0f}};
    const auto next = greedy_next_tokens(logp);
    REQUIRE(next.size() == 3);
    CHECK(next(0) == 1);
    CHECK(next(1) == 3);
    CHECK(next(2) == 0);
}
