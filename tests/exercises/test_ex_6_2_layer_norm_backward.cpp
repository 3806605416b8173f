// Tests for exercise 6.2 — LayerNorm's backward for its input.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xview.hpp>

#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/exercises/exercises.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"

using tfm::Tensor;

using tfm::exercises::layer_norm_row_backward;

TEST_CASE("exercise 6.2: agrees with the chapter's LayerNorm backward") {
    tfm::LayerNorm norm(5);
    tfm::Rng rng(8);
    tfm::fill_uniform(norm.a_2.value, 0.5f, 1.5f, rng);
    Tensor<3> x = xt::zeros<float>({1, 1, 5}), dy = xt::zeros<float>({1, 1, 5});
    tfm::fill_uniform(x, -2.0f, 2.0f, rng);
    tfm::fill_uniform(dy, -1.0f, 1.0f, rng);
    norm.forward(x);
    const auto expected = norm.backward(dy);
    const auto dx =
        layer_norm_row_backward(xt::view(x, 0, 0), norm.a_2.value, xt::view(dy, 0, 0), 1e-6f);
    for (std::size_t i = 0; i < 5; ++i) CHECK(dx(i) == Approx(expected(0, 0, i)).margin(1e-5));
}

TEST_CASE("exercise 6.2: a uniform upstream gradient gives no input gradient") {
    // Adding a constant to every x changes nothing after normalisation, and with a = 1 a
    // uniform dy is exactly such a direction: dx must be 0.
    const auto dx = layer_norm_row_backward({1, 2, 4, 8}, {1, 1, 1, 1}, {3, 3, 3, 3}, 1e-6f);
    for (std::size_t i = 0; i < 4; ++i) CHECK(dx(i) == Approx(0.0f).margin(1e-5));
}

TEST_CASE(
    "exercise 6.2: a constant row gets a finite gradient, the one the chapter's LayerNorm gives") {
    // σ = 0 here: x̂ = 0 and the output is b whatever the common value is, so the path
    // through σ contributes nothing. What is left, (g − mean(g))/eps, is large but finite.
    tfm::LayerNorm norm(4);
    tfm::Rng rng(9);
    tfm::fill_uniform(norm.a_2.value, 0.5f, 1.5f, rng);
    const Tensor<3> x = {{{1.5f, 1.5f, 1.5f, 1.5f}}};
    Tensor<3> dy = xt::zeros<float>({1, 1, 4});
    tfm::fill_uniform(dy, -1.0f, 1.0f, rng);
    norm.forward(x);
    const auto expected = norm.backward(dy);
    const auto dx =
        layer_norm_row_backward(xt::view(x, 0, 0), norm.a_2.value, xt::view(dy, 0, 0), 1e-6f);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(std::isfinite(dx(i)));
        CHECK(dx(i) == Approx(expected(0, 0, i)).epsilon(1e-4));
    }
}
