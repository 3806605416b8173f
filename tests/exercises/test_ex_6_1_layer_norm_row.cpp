// Tests for exercise 6.1 — the Annotated Transformer's LayerNorm of one row.
#include <catch2/catch.hpp>

#include <xtensor/xview.hpp>

#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/exercises/exercises.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"

using tfm::Tensor;

using tfm::exercises::layer_norm_row;

TEST_CASE("exercise 6.1: [1, 0, 0, 0] becomes [1.5, -0.5, -0.5, -0.5]") {
    const auto y = layer_norm_row({1, 0, 0, 0}, {1, 1, 1, 1}, {0, 0, 0, 0}, 1e-6f);
    CHECK(y(0) == Approx(1.5f).epsilon(1e-5));
    for (std::size_t i = 1; i < 4; ++i) CHECK(y(i) == Approx(-0.5f).epsilon(1e-5));
}

TEST_CASE("exercise 6.1: gain, bias and a random row agree with the chapter's LayerNorm") {
    tfm::LayerNorm norm(6);
    tfm::Rng rng(3);
    tfm::fill_uniform(norm.a_2.value, 0.5f, 1.5f, rng);
    tfm::fill_uniform(norm.b_2.value, -1.0f, 1.0f, rng);
    Tensor<3> x = xt::zeros<float>({1, 1, 6});
    tfm::fill_uniform(x, -3.0f, 5.0f, rng);
    const auto expected = norm.forward(x);
    const auto y = layer_norm_row(xt::view(x, 0, 0), norm.a_2.value, norm.b_2.value, 1e-6f);
    for (std::size_t i = 0; i < 6; ++i) CHECK(y(i) == Approx(expected(0, 0, i)).margin(1e-5));
}
