// Tests for exercise 14.1 — RoPE with learned angles: the gradient of the angles.
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/gradcheck.hpp"
#include "14_modern_decoder/exercises/exercises.hpp"
#include "14_modern_decoder/modern_layers.hpp"

using tfm::Tensor;
using tfm::exercises::rope_angle_gradient;

namespace {

// L(θ) = Σ dy ⊙ y, with y = x turned pair by pair through p·θ_i, all in double.
double loss_at(const Tensor<4>& x, const Tensor<4>& dy, const std::vector<double>& theta,
               std::size_t first) {
    const std::size_t K = x.shape()[3], L = x.shape()[2];
    double loss = 0.0;
    for (std::size_t r = 0; r < x.size() / K; ++r) {
        const double p = double(first + r % L);
        for (std::size_t i = 0; i < K / 2; ++i) {
            const double c = std::cos(p * theta[i]), s = std::sin(p * theta[i]);
            const double x0 = x.data()[r * K + 2 * i], x1 = x.data()[r * K + 2 * i + 1];
            loss += dy.data()[r * K + 2 * i] * (x0 * c - x1 * s) +
                    dy.data()[r * K + 2 * i + 1] * (x0 * s + x1 * c);
        }
    }
    return loss;
}

void check_against_differences(const Tensor<4>& x, const Tensor<4>& dy, std::vector<double> theta,
                               std::size_t first) {
    const std::vector<double> grad = rope_angle_gradient(x, dy, theta, first);
    REQUIRE(grad.size() == theta.size());
    for (std::size_t i = 0; i < theta.size(); ++i) {
        // Central differences in double: the step is small against every angle's period.
        const double h = 1e-6, keep = theta[i];
        theta[i] = keep + h;
        const double up = loss_at(x, dy, theta, first);
        theta[i] = keep - h;
        const double down = loss_at(x, dy, theta, first);
        theta[i] = keep;
        const double numeric = (up - down) / (2 * h);
        INFO("pair " << i << ", first position " << first);
        CHECK(grad[i] == Approx(numeric).epsilon(1e-5).margin(1e-5));
    }
}

}  // namespace

TEST_CASE("exercise 14.1: the angles' gradient agrees with finite differences") {
    const std::size_t B = 2, H = 3, L = 5, K = 8;
    tfm::Rng rng(141);
    Tensor<4> x = xt::zeros<float>({B, H, L, K}), dy = x;
    tfm::fill_uniform(x, -1, 1, rng);
    tfm::fill_uniform(dy, -1, 1, rng);
    // At the chapter's angles: first the test's turn is RotaryEmbedding's own.
    const tfm::RotaryEmbedding rope(K);
    std::vector<double> theta;
    for (std::size_t i = 0; i < K / 2; ++i) theta.push_back(rope.frequency(i));
    Tensor<4> y = x;
    rope.rotate(y, 7);
    CHECK(tfm::dot_double(y, dy) == Approx(loss_at(x, dy, theta, 7)).epsilon(1e-6));
    for (const std::size_t first : {0, 7, 40}) check_against_differences(x, dy, theta, first);
    // At angles a model might have learned, some negative, one zero.
    check_against_differences(x, dy, {0.9, -0.3, 0.0, 2.5}, 3);
}

TEST_CASE("exercise 14.1: position 0 does not turn, so its angles get no gradient") {
    tfm::Rng rng(142);
    Tensor<4> x = xt::zeros<float>(
                  {std::size_t(1), std::size_t(2), std::size_t(1), std::size_t(6)}),
              dy = x;
    tfm::fill_uniform(x, -1, 1, rng);
    tfm::fill_uniform(dy, -1, 1, rng);
    for (const double g : rope_angle_gradient(x, dy, {1.0, 0.1, 0.01}, 0)) CHECK(g == 0.0);
}

TEST_CASE("exercise 14.1: wrong shapes are errors") {
    const Tensor<4> x = xt::zeros<float>({1, 1, 2, 4});
    CHECK_THROWS_AS(rope_angle_gradient(x, xt::zeros<float>({1, 1, 3, 4}), {1.0, 0.1}, 0),
                    tfm::ShapeError);
    CHECK_THROWS_AS(rope_angle_gradient(x, x, {1.0, 0.1, 0.01}, 0), tfm::ShapeError);
}
