// Tests for exercise 10.2 — packing sorted sentences into token-budget batches.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "10_translation/exercises/exercises.hpp"

using tfm::exercises::pack_by_budget;
using Plan = std::vector<std::vector<std::size_t>>;

TEST_CASE("exercise 10.2: consecutive batches whose rectangle stays within the budget") {
    // Budget 12: [2, 3, 3, 3] is 4 × 3 = 12; adding 4 would make 5 × 4 = 20.
    CHECK(pack_by_budget({2, 3, 3, 3, 4, 4, 6, 6}, 12) == Plan{{0, 1, 2, 3}, {4, 5}, {6, 7}});
    CHECK(pack_by_budget({5}, 100) == Plan{{0}});
    CHECK(pack_by_budget({}, 10).empty());
}

TEST_CASE("exercise 10.2: a sentence longer than the budget gets a batch of its own") {
    CHECK(pack_by_budget({2, 2, 30, 31}, 10) == Plan{{0, 1}, {2}, {3}});
    CHECK_THROWS_AS(pack_by_budget({1}, 0), std::invalid_argument);
}
