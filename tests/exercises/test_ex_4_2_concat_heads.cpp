// Tests for exercise 4.2 — concatenating the heads again.
#include <catch2/catch.hpp>

#include "04_multi_head_attention/exercises/exercises.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"

using tfm::Tensor;

using tfm::exercises::concat_heads;

TEST_CASE("exercise 4.2: concatenation puts head h at channels h*K .. h*K+K-1") {
    Tensor<4> x = xt::zeros<float>({1, 2, 3, 2});  // B=1, H=2, L=3, K=2
    for (std::size_t h = 0; h < 2; ++h)
        for (std::size_t l = 0; l < 3; ++l)
            for (std::size_t k = 0; k < 2; ++k) x(0, h, l, k) = float(100 * h + 10 * l + k);
    const auto out = concat_heads(x);
    REQUIRE(out.shape() == std::array<std::size_t, 3>{1, 3, 4});
    CHECK(out(0, 0, 0) == 0.0f);
    CHECK(out(0, 0, 2) == 100.0f);  // head 1 comes after head 0's two channels
    CHECK(out(0, 2, 3) == 121.0f);
}

TEST_CASE("exercise 4.2: concatenating undoes the split") {
    Tensor<3> x = xt::zeros<float>({2, 3, 8});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i);
    CHECK((concat_heads(tfm::split_heads(x, 4)) == x));
}
