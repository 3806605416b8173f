// Tests for exercise 3.1 — the causal ("subsequent") mask.
#include <catch2/catch.hpp>

#include "03_attention/exercises/exercises.hpp"

using tfm::exercises::causal_mask;

TEST_CASE("exercise 3.1: row l allows columns 0..l and nothing after") {
    const auto mask = causal_mask(4);
    REQUIRE(mask.shape()[0] == 4);
    REQUIRE(mask.shape()[1] == 4);
    const bool expected[4][4] = {{true, false, false, false},
                                 {true, true, false, false},
                                 {true, true, true, false},
                                 {true, true, true, true}};
    for (std::size_t l = 0; l < 4; ++l) {
        for (std::size_t m = 0; m < 4; ++m) CHECK(mask(l, m) == expected[l][m]);
    }
    CHECK(causal_mask(1)(0, 0));
}
