// Tests for exercise 0.3 — how small should a finite-difference step be?
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "00_tensors/exercises/exercises.hpp"
#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"

using tfm::Tensor;

using tfm::exercises::central_difference_errors;

namespace {
const std::vector<double> kSteps = {1e-1, 5e-2, 1e-2, 3e-3, 1e-3, 1e-4, 1e-5, 1e-6};

struct Row {
    Tensor<1> x = Tensor<1>::from_shape({8});
    Tensor<1> g = Tensor<1>::from_shape({8});
    explicit Row(std::uint64_t seed) {
        tfm::Rng rng(seed);
        tfm::fill_normal(x, 0.0f, 1.5f, rng);
        tfm::fill_normal(g, 0.0f, 1.0f, rng);
    }
};
}  // namespace

TEST_CASE("exercise 0.3: one error per step, measured against the softmax's own backward") {
    const Row row(3);
    const std::vector<double> errors = central_difference_errors(row.x, row.g, kSteps);
    REQUIRE(errors.size() == kSteps.size());
    // The test's own measurement at h = 0.05, where the error is the formula's, not noise.
    const Tensor<1> exact = tfm::softmax_backward(Tensor<1>(tfm::softmax(row.x)), row.g);
    double largest = 0.0, worst = 0.0;
    for (float v : exact) largest = std::max(largest, double(std::abs(v)));
    for (std::size_t i = 0; i < 8; ++i) {
        Tensor<1> plus = row.x, minus = row.x;
        plus(i) += 0.05f;
        minus(i) -= 0.05f;
        double l_plus = 0.0, l_minus = 0.0;
        const Tensor<1> y_plus = tfm::softmax(plus), y_minus = tfm::softmax(minus);
        for (std::size_t j = 0; j < 8; ++j) {
            l_plus += double(row.g(j)) * y_plus(j);
            l_minus += double(row.g(j)) * y_minus(j);
        }
        worst = std::max(worst, std::abs((l_plus - l_minus) / 0.1 - exact(i)));
    }
    CHECK(errors[1] == Approx(worst / largest).epsilon(0.05));
    CHECK(central_difference_errors(row.x, row.g, {}).empty());
}

TEST_CASE("exercise 0.3: the error falls as h squared, then rises as 1/h") {
    for (std::uint64_t seed : {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}) {
        const Row row(seed);
        const std::vector<double> e = central_difference_errors(row.x, row.g, kSteps);
        REQUIRE(e.size() == kSteps.size());
        INFO("seed " << seed << ": errors at h = 1e-1 … 1e-6: " << e[0] << " " << e[1] << " "
                     << e[2] << " " << e[3] << " " << e[4] << " " << e[5] << " " << e[6] << " "
                     << e[7]);
        // Large steps: the Taylor remainder, h²·f'''/6 — halving h divides it by about 4.
        CHECK(e[0] / e[1] > 3.0);
        CHECK(e[0] / e[1] < 5.0);
        // Small steps: float32 rounding of L, about eps·|L|/h, a noise that grows as the
        // step shrinks (by about a hundred from h = 1e-4 to 1e-6).
        CHECK(e[7] > 10.0 * e[5]);
        CHECK(e[7] > 1e-2);
        // In between lies the best step, near the cube root of float32's epsilon.
        const std::size_t best = std::min_element(e.begin(), e.end()) - e.begin();
        CHECK(kSteps[best] >= 1e-3);
        CHECK(kSteps[best] <= 1e-2);
    }
}

TEST_CASE("exercise 0.3: mismatched or empty inputs are shape errors") {
    const Row row(3);
    CHECK_THROWS_AS(central_difference_errors(row.x, Tensor<1>::from_shape({7}), kSteps),
                    tfm::ShapeError);
    CHECK_THROWS_AS(
        central_difference_errors(Tensor<1>::from_shape({0}), Tensor<1>::from_shape({0}), kSteps),
        tfm::ShapeError);
}
