// Tests for exercise 1.2 — the embedding backward: a scatter-add.
#include <catch2/catch.hpp>

#include <cmath>

#include "01_embeddings/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::embed_backward;

TEST_CASE("exercise 1.2: a repeated token collects every occurrence's gradient") {
    const xt::xtensor<std::int64_t, 2> ids_BL = {{2, 0, 2}};
    const Tensor<3> dx_BLC = {{{1, 2}, {10, 20}, {100, 200}}};
    Tensor<2> dlut_VC = xt::zeros<float>({4, 2});
    embed_backward(ids_BL, dx_BLC, dlut_VC);
    const float s = std::sqrt(2.0f);
    CHECK(dlut_VC(2, 0) == Approx(101 * s));
    CHECK(dlut_VC(2, 1) == Approx(202 * s));
    CHECK(dlut_VC(0, 0) == Approx(10 * s));
    CHECK(dlut_VC(1, 0) == 0.0f);  // unused tokens: no gradient
    CHECK(dlut_VC(3, 1) == 0.0f);
}

TEST_CASE("exercise 1.2: gradients accumulate across calls") {
    const xt::xtensor<std::int64_t, 2> ids_BL = {{1}};
    const Tensor<3> dx_BLC = {{{1, 1, 1, 1}}};
    Tensor<2> dlut_VC = xt::ones<float>({2, 4});
    embed_backward(ids_BL, dx_BLC, dlut_VC);
    CHECK(dlut_VC(1, 0) == Approx(3.0f));  // 1 + 1·√4
    CHECK(dlut_VC(0, 0) == 1.0f);
}
