// Tests for exercise 6.4 — why post-norm wants a warm-up: measure the gradients at the top.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/linear.hpp"
#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/exercises/exercises.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"
#include "06_layer_norm_residual/sublayer.hpp"

using tfm::NormPlacement;
using tfm::exercises::top_weight_gradient;

namespace {
// The header's stack, replayed: the same draws from an identically seeded rng, in the
// header's order. Sizes alone cannot tell a right stack from a wrong one: over many draws
// pre-norm gives 3.1 to 3.6 at depth 2 and post-norm 3.7 to 4.3, while weights left at
// nn.Linear's default U(±1/√C) instead of Xavier's give 4.1 to 4.6 and 4.6 to 5.1, with the
// same fall and the same flatness with depth. So the test compares the very numbers. Only
// the top block's backward writes the top weight's gradient: the blocks below it need no
// backward here.
double replay(std::size_t depth, NormPlacement placement, std::size_t C, tfm::Rng& rng) {
    std::vector<std::unique_ptr<tfm::Linear>> sublayers;
    std::vector<std::unique_ptr<tfm::SublayerConnection>> blocks;
    for (std::size_t i = 0; i < depth; ++i) {
        sublayers.push_back(std::make_unique<tfm::Linear>(C, C, rng));
        tfm::xavier_uniform(sublayers.back()->weight.value, rng);
        blocks.push_back(std::make_unique<tfm::SublayerConnection>(C, 0.0f, rng, "", placement));
    }
    tfm::LayerNorm final_norm(C);
    tfm::Tensor<3> h_BLC = tfm::Tensor<3>::from_shape({4, 16, C});
    tfm::fill_normal(h_BLC, 0.0f, 1.0f, rng);
    for (std::size_t i = 0; i < depth; ++i) {
        tfm::Linear& sub = *sublayers[i];
        h_BLC =
            blocks[i]->forward(h_BLC, [&](const tfm::Tensor<3>& in) { return sub.forward(in); });
    }
    if (placement == NormPlacement::Pre) h_BLC = final_norm.forward(h_BLC);
    tfm::Tensor<3> dy_BLC = tfm::Tensor<3>::from_shape(h_BLC.shape());
    tfm::fill_normal(dy_BLC, 0.0f, 1.0f, rng);
    const tfm::Tensor<3> d_BLC =
        placement == NormPlacement::Pre ? final_norm.backward(dy_BLC) : dy_BLC;
    tfm::Linear& top = *sublayers.back();
    blocks.back()->backward(d_BLC, [&](const tfm::Tensor<3>& g) { return top.backward(g); });
    const auto& dw_CC = top.weight.grad;
    return std::sqrt(tfm::dot_double(dw_CC, dw_CC) / tfm::dot_double(dy_BLC, dy_BLC));
}
}  // namespace

TEST_CASE("exercise 6.4: the gradient at the top is the header's stack's, draw for draw") {
    const std::size_t C = 32;
    tfm::Rng rng(64), same(64);
    // One rng through the four calls: a stack that draws more or fewer numbers than the
    // header's changes the calls after it as well.
    for (NormPlacement placement : {NormPlacement::Pre, NormPlacement::Post}) {
        for (std::size_t depth : {std::size_t(2), std::size_t(24)}) {
            const double g = top_weight_gradient(depth, placement, C, rng);
            const double r = replay(depth, placement, C, same);
            INFO((placement == NormPlacement::Pre ? "pre-norm" : "post-norm")
                 << ", depth " << depth << ": " << g << " (replayed " << r << ")");
            // Summed in floats or in another order, the ratio moves in its sixth digit;
            // a missing Xavier initialisation, a missing final norm or a missing division
            // by ‖∂L/∂y‖ moves it by a percent at the very least.
            CHECK(g == Approx(r).epsilon(1e-4));
        }
    }
    CHECK_THROWS_AS(top_weight_gradient(0, NormPlacement::Pre, C, rng), std::invalid_argument);
}

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
