// Tests for exercise 4.1 — splitting the channels into heads.
#include <catch2/catch.hpp>

#include "00_tensors/shapes.hpp"
#include "04_multi_head_attention/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::split_into_heads;

TEST_CASE("exercise 4.1: head h gets channels h*K .. h*K+K-1 of every position") {
    // x(b, l, c) = 100b + 10l + c, so every entry says where it came from.
    Tensor<3> x = xt::zeros<float>({2, 3, 6});
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t l = 0; l < 3; ++l)
            for (std::size_t c = 0; c < 6; ++c) x(b, l, c) = float(100 * b + 10 * l + c);
    const auto out = split_into_heads(x, 3);  // K = 2
    REQUIRE(out.shape() == std::array<std::size_t, 4>{2, 3, 3, 2});
    CHECK(out(0, 0, 0, 0) == 0.0f);
    CHECK(out(0, 1, 0, 0) == 2.0f);    // head 1 starts at channel 2
    CHECK(out(0, 2, 1, 1) == 15.0f);   // head 2, position 1, channel 4 + 1
    CHECK(out(1, 1, 2, 1) == 123.0f);  // batch 1, head 1, position 2, channel 3
}

TEST_CASE("exercise 4.1: H must divide C") {
    CHECK_THROWS_AS(split_into_heads(xt::zeros<float>({1, 2, 6}), 4), tfm::ShapeError);
}
