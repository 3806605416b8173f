// Solution to exercise 6.4 — why post-norm wants a warm-up: measure the gradients at the top.
#include "06_layer_norm_residual/exercises/exercises.hpp"

#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/linear.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"

namespace tfm::exercises {

double top_weight_gradient(std::size_t depth, NormPlacement placement, std::size_t d_model,
                           Rng& rng) {
    if (depth == 0) throw std::invalid_argument("top_weight_gradient: depth must be at least 1");
    const std::size_t C = d_model;
    // Every block keeps what its backward needs, so all of them live until backward is done.
    std::vector<std::unique_ptr<Linear>> sublayers;
    std::vector<std::unique_ptr<SublayerConnection>> blocks;
    for (std::size_t i = 0; i < depth; ++i) {
        sublayers.push_back(std::make_unique<Linear>(C, C, rng));
        xavier_uniform(sublayers.back()->weight.value, rng);
        blocks.push_back(std::make_unique<SublayerConnection>(C, 0.0f, rng, "", placement));
    }
    // A pre-norm stack ends with a norm of its own (chapter 07); in post-norm the last
    // block's norm already is the end.
    const bool final_norm = placement == NormPlacement::Pre;
    LayerNorm norm(C);

    xt::xtensor<float, 3> h_BLC = xt::zeros<float>({std::size_t(4), std::size_t(16), C});
    fill_normal(h_BLC, 0.0f, 1.0f, rng);
    for (std::size_t i = 0; i < depth; ++i) {
        Linear& sub = *sublayers[i];
        h_BLC = blocks[i]->forward(
            h_BLC, [&](const xt::xtensor<float, 3>& in) { return sub.forward(in); });
    }
    if (final_norm) h_BLC = norm.forward(h_BLC);

    xt::xtensor<float, 3> dy_BLC = xt::zeros<float>(h_BLC.shape());
    fill_normal(dy_BLC, 0.0f, 1.0f, rng);
    xt::xtensor<float, 3> d_BLC = final_norm ? norm.backward(dy_BLC) : dy_BLC;
    for (std::size_t i = depth; i-- > 0;) {
        Linear& sub = *sublayers[i];
        d_BLC = blocks[i]->backward(
            d_BLC, [&](const xt::xtensor<float, 3>& g) { return sub.backward(g); });
    }
    const xt::xarray<float>& dw = sublayers.back()->weight.grad;
    return std::sqrt(dot_double(dw, dw)) / std::sqrt(dot_double(dy_BLC, dy_BLC));
}

}  // namespace tfm::exercises
