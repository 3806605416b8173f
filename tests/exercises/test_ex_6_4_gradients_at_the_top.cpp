// Tests for exercise 6.4 — why post-norm wants a warm-up: measure the gradients at the top.
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/exercises/exercises.hpp"
#include "06_layer_norm_residual/sublayer.hpp"

using tfm::NormPlacement;
using tfm::exercises::top_weight_gradient;

TEST_CASE(
    "exercise 6.4: at the top, pre-norm's gradients shrink with depth and post-norm's do not") {
    tfm::Rng rng(64);
    const std::size_t C = 32;
    const double pre_2 = top_weight_gradient(2, NormPlacement::Pre, C, rng);
    const double pre_24 = top_weight_gradient(24, NormPlacement::Pre, C, rng);
    const double post_2 = top_weight_gradient(2, NormPlacement::Post, C, rng);
    const double post_24 = top_weight_gradient(24, NormPlacement::Post, C, rng);
    INFO("the last weight's gradient over the upstream one: pre-norm "
         << pre_2 << " at depth 2, " << pre_24 << " at depth 24; post-norm " << post_2 << " and "
         << post_24);
    for (double g : {pre_2, pre_24, post_2, post_24}) CHECK((std::isfinite(g) && g > 0.0));
    // The sizes themselves, over many draws: pre-norm 3.1 to 3.6 at depth 2, post-norm 3.7
    // to 4.3. A ratio that forgets to divide by ‖∂L/∂y‖ is 45 times larger.
    CHECK(pre_2 > 2.5);
    CHECK(pre_2 < 4.5);
    CHECK(post_2 > 3.0);
    CHECK(post_2 < 5.0);
    // Pre-norm: every block adds to the residual stream, which grows like √(N + 1), and
    // the final norm divides every gradient that reaches the stack by that size.
    CHECK(pre_24 < 0.5 * pre_2);
    // Post-norm: every block renormalises, so the top block looks the same at any depth.
    CHECK(post_24 > 0.7 * post_2);
    CHECK(post_24 < 1.4 * post_2);
    // So at depth 24 the same learning rate hits post-norm's top weights several times
    // harder: Xiong et al.'s reason for its warm-up.
    CHECK(post_24 > 2.0 * pre_24);
}
