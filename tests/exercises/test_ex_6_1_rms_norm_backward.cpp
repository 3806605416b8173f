// Tests for exercise 6.1 — RMSNorm's backward.
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/exercises/exercises.hpp"
#include "exercises/double_checks.hpp"

using tfm::Tensor;

using tfm::exercises::rms_norm_row_backward;
using tfm::exercises::RMSNormGrads;

namespace {
using D1 = xt::xtensor<double, 1>;

// L = Σ dy · g ⊙ x / √(mean(x²) + eps), in double.
double loss(const D1& x, const D1& g, const Tensor<1>& dy, double eps) {
    double mean_sq = 0.0;
    for (double v : x) mean_sq += v * v / double(x.size());
    const double r = std::sqrt(mean_sq + eps);
    double sum = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) sum += dy(i) * g(i) * x(i) / r;
    return sum;
}
}  // namespace

TEST_CASE("exercise 6.1: both gradients agree with finite differences") {
    tfm::Rng rng(61);
    for (std::size_t C : {3, 8, 33}) {
        Tensor<1> x = Tensor<1>::from_shape({C}), g = x, dy = x;
        tfm::fill_normal(x, 0.5f, 2.0f, rng);
        tfm::fill_uniform(g, 0.5f, 1.5f, rng);
        tfm::fill_normal(dy, 0.0f, 1.0f, rng);
        const RMSNormGrads grads = rms_norm_row_backward(x, g, dy, 1e-5f);
        REQUIRE(grads.dx_C.size() == C);
        REQUIRE(grads.dg_C.size() == C);
        D1 xd = x, gd = g;
        auto rms_loss = [&] { return loss(xd, gd, dy, 1e-5); };
        tfm::testing::check_in_double("x", xd, grads.dx_C, rms_loss, 1e-4, 1e-4);
        tfm::testing::check_in_double("g", gd, grads.dg_C, rms_loss, 1e-4, 1e-4);
    }
}

TEST_CASE("exercise 6.1: the gradient is orthogonal to x, and a zero row stays finite") {
    const Tensor<1> x = {3.0f, -1.0f, 2.0f, 0.5f}, g = {1.0f, 2.0f, 0.5f, 1.0f};
    const Tensor<1> dy = {0.3f, -0.7f, 1.1f, 0.2f};
    const RMSNormGrads grads = rms_norm_row_backward(x, g, dy, 1e-6f);
    double dot = 0.0, size = 0.0;
    for (std::size_t i = 0; i < 4; ++i) {
        dot += double(x(i)) * grads.dx_C(i);
        size += std::abs(double(x(i)) * grads.dx_C(i));
    }
    CHECK(std::abs(dot) < 1e-5 * size);
    // A row of zeros: r = √eps, x̂ = 0, so dx = g ⊙ dy / √eps and dg = 0.
    const RMSNormGrads zero = rms_norm_row_backward(Tensor<1>(xt::zeros<float>({4})), g, dy, 1e-4f);
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(zero.dx_C(i) == Approx(g(i) * dy(i) / 0.01));
        CHECK(zero.dg_C(i) == 0.0f);
    }
    CHECK_THROWS_AS(rms_norm_row_backward(x, g, Tensor<1>::from_shape({3}), 1e-6f),
                    tfm::ShapeError);
}
