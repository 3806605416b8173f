// Chapter 00: the gradient checker accepts right gradients and catches wrong ones.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xtensor.hpp>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/random.hpp"

using namespace tfm;

namespace {
// L(x) = Σ sin(x_i)·x_i², a smooth function with a known gradient.
double loss_of(const Tensor<1>& x) {
    double l = 0;
    for (float v : x) l += std::sin(double(v)) * double(v) * v;
    return l;
}
Tensor<1> true_grad(const Tensor<1>& x) {
    Tensor<1> g(x.shape());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double v = x(i);
        g(i) = static_cast<float>(std::cos(v) * v * v + 2 * v * std::sin(v));
    }
    return g;
}
}  // namespace

TEST_CASE("a correct gradient passes") {
    Rng rng(0);
    Tensor<1> x = xt::zeros<float>({20});
    fill_uniform(x, -2, 2, rng);
    const auto g = true_grad(x);
    const auto r = check_gradient("x", x, g, [&] { return loss_of(x); });
    INFO(r.report);
    CHECK(r.passed);
    // The plain central difference is off by O(h²); Richardson extrapolation (the
    // default) cancels that term and is far closer.
    GradCheckOptions plain;
    plain.richardson = false;
    const auto r_plain = check_gradient(
        "x", x, g, [&] { return loss_of(x); }, plain);
    INFO(r_plain.report);
    CHECK(r.max_error < r_plain.max_error / 10);
}

TEST_CASE("a wrong gradient fails, and the worst element is reported") {
    Rng rng(0);
    Tensor<1> x = xt::zeros<float>({20});
    fill_uniform(x, -2, 2, rng);
    auto g = true_grad(x);
    const Tensor<1> x_before = x;

    SECTION("one element off by 5%") {
        g(13) *= 1.05f;
        const auto r = check_gradient("x", x, g, [&] { return loss_of(x); });
        CHECK_FALSE(r.passed);
        CHECK(r.worst_index == 13);
        CHECK(r.analytic == Approx(g(13)));
        CHECK(r.report.find("FAILED") != std::string::npos);
        CHECK(r.report.find("element 13") != std::string::npos);
    }
    SECTION("a sign error") {
        g = -g;
        CHECK_FALSE(check_gradient("x", x, g, [&] { return loss_of(x); }).passed);
    }
    SECTION("a term left out (the 2x·sin x part)") {
        for (std::size_t i = 0; i < x.size(); ++i) g(i) = std::cos(x(i)) * x(i) * x(i);
        CHECK_FALSE(check_gradient("x", x, g, [&] { return loss_of(x); }).passed);
    }
    SECTION("a NaN in the gradient") {
        g(2) = NAN;
        const auto r = check_gradient("x", x, g, [&] { return loss_of(x); });
        CHECK_FALSE(r.passed);
        CHECK(r.worst_index == 2);
    }
    // The checker puts every element back.
    CHECK((x == x_before));
}

TEST_CASE("tiny gradients are judged with the floor, not divided noise by noise") {
    Tensor<1> x = {0.0f, 0.0f};
    Tensor<1> g = {1e-7f, -1e-7f};  // the true gradient of Σ x² at 0 is 0
    const auto r = check_gradient("x", x, g, [&] {
        double l = 0;
        for (float v : x) l += double(v) * v;
        return l;
    });
    INFO(r.report);
    CHECK(r.passed);
}

TEST_CASE("a gradient of the wrong shape is an error") {
    Tensor<1> x = xt::zeros<float>({3});
    Tensor<1> g = xt::zeros<float>({4});
    CHECK_THROWS_AS(check_gradient("x", x, g, [] { return 0.0; }), ShapeError);
}
