// Tests for exercise 1.1 — the embedding lookup, scaled by √C.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "01_embeddings/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::embed_lookup;

TEST_CASE("exercise 1.1: each position gets its token's row, times sqrt(C)") {
    const Tensor<2> lut_VC = {{0, 0, 0, 0}, {1, 2, 3, 4}, {-1, 0.5f, 0, 2}};
    const xt::xtensor<std::int64_t, 2> ids_BL = {{1, 2, 1}, {0, 0, 2}};
    const auto x = embed_lookup(lut_VC, ids_BL);
    REQUIRE(x.shape()[0] == 2);
    REQUIRE(x.shape()[1] == 3);
    REQUIRE(x.shape()[2] == 4);
    CHECK(x(0, 0, 3) == Approx(8.0f));  // 4 · √4
    CHECK(x(0, 1, 1) == Approx(1.0f));  // 0.5 · 2
    CHECK(x(0, 2, 0) == Approx(2.0f));
    CHECK(x(1, 0, 2) == 0.0f);
    CHECK(x(1, 2, 0) == Approx(-2.0f));
}

TEST_CASE("exercise 1.1: ids outside the vocabulary are errors") {
    const Tensor<2> lut_VC = xt::ones<float>({3, 2});
    CHECK_THROWS_AS(embed_lookup(lut_VC, xt::xtensor<std::int64_t, 2>{{0, 3}}), std::out_of_range);
    CHECK_THROWS_AS(embed_lookup(lut_VC, xt::xtensor<std::int64_t, 2>{{-1, 0}}), std::out_of_range);
    CHECK_NOTHROW(embed_lookup(lut_VC, xt::xtensor<std::int64_t, 2>{{2, 0}}));
}
