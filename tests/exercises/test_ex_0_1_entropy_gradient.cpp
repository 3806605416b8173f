// Tests for exercise 0.1 — the gradient of a softmax's entropy.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "00_tensors/exercises/exercises.hpp"
#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"
#include "exercises/double_checks.hpp"

using tfm::Tensor;

using tfm::exercises::softmax_entropy_gradient;

namespace {
// H(softmax(x)) in double, the way the test measures it: from the definition.
double entropy(const xt::xtensor<double, 1>& x) {
    const double m = *std::max_element(x.begin(), x.end());
    double sum = 0.0;
    for (double v : x) sum += std::exp(v - m);
    double H = 0.0;
    for (double v : x) {
        const double p = std::exp(v - m) / sum;
        if (p > 0.0) H -= p * std::log(p);
    }
    return H;
}
}  // namespace

TEST_CASE("exercise 0.1: two classes, where the derivative is known in closed form") {
    // x = (a, 0): p = σ(a), H = −p log p − (1 − p) log(1 − p), dH/dp = −a, dp/da = p(1 − p).
    const Tensor<1> dx = softmax_entropy_gradient({1.0f, 0.0f});
    REQUIRE(dx.size() == 2);
    const double p = 1.0 / (1.0 + std::exp(-1.0));
    CHECK(dx(0) == Approx(-p * (1.0 - p)));  // −0.19661193
    CHECK(dx(1) == Approx(p * (1.0 - p)));
}

TEST_CASE("exercise 0.1: agrees with finite differences of the entropy") {
    tfm::Rng rng(1);
    for (std::size_t V : {3, 8, 17}) {
        Tensor<1> x = Tensor<1>::from_shape({V});
        tfm::fill_normal(x, 0.0f, 2.0f, rng);
        const Tensor<1> dx = softmax_entropy_gradient(x);
        REQUIRE(dx.size() == V);
        xt::xtensor<double, 1> x_double = x;
        tfm::testing::check_in_double(
            "x", x_double, dx, [&] { return entropy(x_double); }, 1e-3, 1e-4);
    }
}

TEST_CASE("exercise 0.1: a uniform row is the entropy's maximum, and shifts change nothing") {
    const Tensor<1> flat = softmax_entropy_gradient({0.7f, 0.7f, 0.7f, 0.7f});
    for (float v : flat) CHECK(v == Approx(0.0).margin(1e-7));
    // Adding a constant to every score changes no weight: the gradient sums to zero.
    const Tensor<1> dx = softmax_entropy_gradient({0.5f, -1.0f, 2.0f, 0.0f});
    CHECK(dx(0) + dx(1) + dx(2) + dx(3) == Approx(0.0).margin(1e-6));
    const Tensor<1> shifted = softmax_entropy_gradient({100.5f, 99.0f, 102.0f, 100.0f});
    for (std::size_t i = 0; i < 4; ++i) CHECK(shifted(i) == Approx(dx(i)).margin(1e-5));
}

TEST_CASE("exercise 0.1: a masked score gets a zero gradient, not NaN") {
    const Tensor<1> dx = softmax_entropy_gradient({0.5f, -1e9f, 2.0f, -3.0f});
    for (float v : dx) CHECK(std::isfinite(v));
    CHECK(dx(1) == 0.0f);
    const Tensor<1> unmasked = softmax_entropy_gradient({0.5f, 2.0f, -3.0f});
    CHECK(dx(0) == Approx(unmasked(0)).margin(1e-6));
    CHECK(dx(2) == Approx(unmasked(1)).margin(1e-6));
    // Large scores do not overflow either.
    for (float v : softmax_entropy_gradient({1000.0f, 1001.0f, 1002.0f})) CHECK(std::isfinite(v));
}

TEST_CASE("exercise 0.1: an empty row is a shape error") {
    CHECK_THROWS_AS(softmax_entropy_gradient(Tensor<1>::from_shape({0})), tfm::ShapeError);
}
