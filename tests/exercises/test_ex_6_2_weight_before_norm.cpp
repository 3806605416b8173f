// Tests for exercise 6.2 — a weight in front of a norm.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/exercises/exercises.hpp"

using tfm::exercises::scale_weight_before_norm;
using tfm::exercises::ScaledWeight;

TEST_CASE("exercise 6.2: the norm erases the weight's scale, and its gradient shrinks as 1/alpha") {
    for (double alpha : {0.5, 2.0, 10.0}) {
        tfm::Rng rng(62);
        const ScaledWeight s = scale_weight_before_norm(alpha, 16, rng);
        INFO("alpha " << alpha << ": output moved by " << s.output_change << ", gradient ratio "
                      << s.gradient_ratio << ", cos(W, dW) " << s.gradient_cosine);
        CHECK(s.output_change < 1e-4);
        CHECK(s.gradient_ratio == Approx(1.0 / alpha).epsilon(0.005));
        CHECK(std::abs(s.gradient_cosine) < 1e-3);
    }
    tfm::Rng rng(1);
    CHECK(scale_weight_before_norm(1.0, 8, rng).gradient_ratio == Approx(1.0));
    CHECK_THROWS_AS(scale_weight_before_norm(0.0, 8, rng), std::invalid_argument);
}
