// Tests for exercise 5.3 — GELU's backward.
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/random.hpp"
#include "05_feed_forward/exercises/exercises.hpp"
#include "exercises/double_checks.hpp"

using tfm::Tensor;

using tfm::exercises::gelu_backward;

namespace {
double gelu(double x) {
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}
}  // namespace

TEST_CASE("exercise 5.3: exact values") {
    const Tensor<2> x = {{0.0f, 8.0f, -8.0f, -0.7517916f}};
    const Tensor<2> dx = gelu_backward(x, xt::ones<float>({1, 4}));
    CHECK(dx(0, 0) == Approx(0.5));
    CHECK(dx(0, 1) == Approx(1.0));
    CHECK(dx(0, 2) == Approx(0.0).margin(1e-12));
    // GELU's minimum: there its derivative is zero, and below it negative.
    CHECK(dx(0, 3) == Approx(0.0).margin(1e-6));
    CHECK(gelu_backward({{-1.5f}}, {{1.0f}})(0, 0) < 0.0f);
    // The upstream gradient multiplies.
    CHECK(gelu_backward({{0.0f}}, {{-4.0f}})(0, 0) == Approx(-2.0));
}

TEST_CASE("exercise 5.3: agrees with finite differences of GELU") {
    tfm::Rng rng(53);
    Tensor<2> x = Tensor<2>::from_shape({4, 6}), dy = x;
    tfm::fill_normal(x, 0.0f, 2.0f, rng);
    tfm::fill_normal(dy, 0.0f, 1.0f, rng);
    const Tensor<2> dx = gelu_backward(x, dy);
    REQUIRE(dx.shape() == x.shape());
    xt::xtensor<double, 2> xd = x;
    auto loss = [&] {
        double sum = 0.0;
        for (std::size_t i = 0; i < xd.size(); ++i) sum += gelu(xd.data()[i]) * dy.data()[i];
        return sum;
    };
    tfm::testing::check_in_double("x", xd, dx, loss, 1e-4, 1e-4);
    CHECK_THROWS_AS(gelu_backward(x, Tensor<2>::from_shape({4, 5})), tfm::ShapeError);
}
