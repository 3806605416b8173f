// Tests for exercise 5.2 — the feed-forward network on rows.
#include <catch2/catch.hpp>

#include "05_feed_forward/exercises/exercises.hpp"
#include "05_feed_forward/feed_forward.hpp"

using tfm::Tensor;

using tfm::exercises::feed_forward_rows;

TEST_CASE("exercise 5.2: a hand-checked example") {
    // C = 2, F = 3. h = x·w1ᵀ + b1 = (1, -1, 2) for x = (1, 1); relu → (1, 0, 2).
    const Tensor<2> x = {{1, 1}};
    const Tensor<2> w1 = {{1, 0}, {0, -2}, {1, 1}};
    const Tensor<1> b1 = {0, 1, 0};
    // y = a·w2ᵀ + b2 with w2 = [[1, 1, 1], [0, 5, -1]] → (3, -2) + (0.5, 0.5).
    const Tensor<2> w2 = {{1, 1, 1}, {0, 5, -1}};
    const Tensor<1> b2 = {0.5f, 0.5f};
    const auto y = feed_forward_rows(x, w1, b1, w2, b2);
    REQUIRE(y.shape() == std::array<std::size_t, 2>{1, 2});
    CHECK(y(0, 0) == Approx(3.5f));
    CHECK(y(0, 1) == Approx(-1.5f));
}

TEST_CASE("exercise 5.2: agrees with the chapter's PositionwiseFeedForward") {
    tfm::Rng rng(4);
    tfm::PositionwiseFeedForward ffn(4, 10, 0.0f, rng);
    Tensor<3> x = xt::zeros<float>({1, 5, 4});
    tfm::fill_uniform(x, -1, 1, rng);
    const auto expected = ffn.forward(x);
    const auto y = feed_forward_rows(Tensor<2>(xt::reshape_view(x, {5, 4})), ffn.w_1.weight.value,
                                     ffn.w_1.bias.value, ffn.w_2.weight.value, ffn.w_2.bias.value);
    for (std::size_t l = 0; l < 5; ++l)
        for (std::size_t c = 0; c < 4; ++c)
            CHECK(y(l, c) == Approx(expected(0, l, c)).margin(1e-5));
}
