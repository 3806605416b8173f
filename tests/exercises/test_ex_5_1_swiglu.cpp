// Tests for exercise 5.1 — the gated network of the LLaMA models, forward and backward.
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/random.hpp"
#include "05_feed_forward/exercises/exercises.hpp"
#include "exercises/double_checks.hpp"

using tfm::Tensor;

using tfm::exercises::swiglu;
using tfm::exercises::SwiGLUGrads;

namespace {
using D2 = xt::xtensor<double, 2>;

// The test's own forward, from the formula, in double.
D2 forward(const D2& x, const D2& W1, const D2& W3, const D2& W2) {
    const std::size_t R = x.shape()[0], C = x.shape()[1], F = W1.shape()[0];
    D2 y = xt::zeros<double>({R, C});
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t f = 0; f < F; ++f) {
            double a = 0.0, b = 0.0;
            for (std::size_t c = 0; c < C; ++c) {
                a += x(r, c) * W1(f, c);
                b += x(r, c) * W3(f, c);
            }
            const double g = a / (1.0 + std::exp(-a)) * b;
            for (std::size_t c = 0; c < C; ++c) y(r, c) += g * W2(c, f);
        }
    return y;
}
}  // namespace

TEST_CASE("exercise 5.1: forward and every gradient, by finite differences") {
    const std::size_t R = 5, C = 4, F = 6;
    tfm::Rng rng(51);
    Tensor<2> x = Tensor<2>::from_shape({R, C}), W1 = Tensor<2>::from_shape({F, C}), W3 = W1,
              W2 = Tensor<2>::from_shape({C, F}), dy = x;
    for (Tensor<2>* t : {&x, &W1, &W3, &W2, &dy}) tfm::fill_normal(*t, 0.0f, 1.0f, rng);
    const SwiGLUGrads g = swiglu(x, W1, W3, W2, dy);
    D2 xd = x, W1d = W1, W3d = W3, W2d = W2;
    const D2 expected = forward(xd, W1d, W3d, W2d);
    REQUIRE(g.y_RC.shape() == x.shape());
    for (std::size_t i = 0; i < expected.size(); ++i)
        CHECK(g.y_RC.data()[i] == Approx(expected.data()[i]).margin(1e-4));
    auto loss = [&] { return tfm::dot_double(forward(xd, W1d, W3d, W2d), dy); };
    const auto check = [&](const char* name, D2& p, const Tensor<2>& analytic) {
        tfm::testing::check_in_double(name, p, analytic, loss);
    };
    check("x", xd, g.dx_RC);
    check("W1", W1d, g.dW1_FC);
    check("W3", W3d, g.dW3_FC);
    check("W2", W2d, g.dW2_CF);
}

TEST_CASE("exercise 5.1: one unit, worked by hand") {
    // x = 1, W1 = 2, W3 = 3, W2 = 1: a = 2, b = 3, y = 3·Swish(2) = 6σ(2).
    const SwiGLUGrads g = swiglu({{1.0f}}, {{2.0f}}, {{3.0f}}, {{1.0f}}, {{1.0f}});
    const double s = 1.0 / (1.0 + std::exp(-2.0));
    CHECK(g.y_RC(0, 0) == Approx(6.0 * s));
    CHECK(g.dW3_FC(0, 0) == Approx(2.0 * s));                            // Swish(2)·x
    CHECK(g.dW1_FC(0, 0) == Approx(3.0 * s * (1.0 + 2.0 * (1.0 - s))));  // b·Swish'(2)·x
    CHECK(g.dx_RC(0, 0) == Approx(2.0 * 3.0 * s * (1.0 + 2.0 * (1.0 - s)) + 3.0 * 2.0 * s));
}

TEST_CASE("exercise 5.1: shapes that do not fit are named") {
    const Tensor<2> x = xt::ones<float>({2, 4}), W = xt::ones<float>({6, 4});
    const Tensor<2> W2 = xt::ones<float>({4, 6});
    CHECK_THROWS_AS(swiglu(x, W, Tensor<2>(xt::ones<float>({5, 4})), W2, x), tfm::ShapeError);
    CHECK_THROWS_AS(swiglu(x, W, W, Tensor<2>(xt::ones<float>({6, 4})), x), tfm::ShapeError);
    CHECK_THROWS_AS(swiglu(x, W, W, W2, Tensor<2>(xt::ones<float>({3, 4}))), tfm::ShapeError);
}
