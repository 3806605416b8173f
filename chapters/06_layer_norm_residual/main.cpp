// Chapter 06 — layer norm, residual connections and dropout: the demo.
//
// Normalises the page's example row both ways (the Annotated Transformer's LayerNorm and
// nn.LayerNorm's formula), wraps a feed-forward sublayer in pre-norm and post-norm
// residual connections, checks both backward passes by finite differences, and measures
// what stacking many such blocks does to the activations and the gradients — the
// chapter's figure.
//
//   ch06_layer_norm_residual [--seed S] [--figures DIR]
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xio.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/figures.hpp"
#include "00_tensors/gradcheck.hpp"
#include "00_tensors/program.hpp"
#include "05_feed_forward/feed_forward.hpp"
#include "layer_norm.hpp"
#include "sublayer.hpp"

using namespace tfm;

namespace {

double norm2(const Tensor<3>& t) {
    return std::sqrt(dot_double(t, t));
}

// A stack of `depth` residual blocks, each a feed-forward sublayer (chapter 05) inside a
// SublayerConnection. Returns ‖y‖/‖x‖ and ‖∂L/∂x‖/‖∂L/∂y‖ for random x and ∂L/∂y.
std::pair<double, double> stack_ratios(std::size_t depth, NormPlacement placement, Rng& rng) {
    const std::size_t C = 64, F = 256;
    std::vector<std::unique_ptr<PositionwiseFeedForward>> ffns;
    std::vector<std::unique_ptr<SublayerConnection>> blocks;
    for (std::size_t i = 0; i < depth; ++i) {
        ffns.push_back(std::make_unique<PositionwiseFeedForward>(C, F, 0.0f, rng));
        for (Parameter* p : ffns.back()->parameters()) {
            if (p->value.dimension() > 1) xavier_uniform(p->value, rng);
        }
        blocks.push_back(std::make_unique<SublayerConnection>(C, 0.0f, rng, "", placement));
    }
    Tensor<3> x_BLC = xt::zeros<float>({std::size_t(4), std::size_t(16), C});
    fill_normal(x_BLC, 0.0f, 1.0f, rng);
    Tensor<3> h_BLC = x_BLC;
    for (std::size_t i = 0; i < depth; ++i) {
        auto& ffn = *ffns[i];
        h_BLC = blocks[i]->forward(h_BLC, [&](const Tensor<3>& in) { return ffn.forward(in); });
    }
    Tensor<3> dy_BLC = xt::zeros<float>(h_BLC.shape());
    fill_normal(dy_BLC, 0.0f, 1.0f, rng);
    Tensor<3> d_BLC = dy_BLC;
    for (std::size_t i = depth; i-- > 0;) {
        auto& ffn = *ffns[i];
        d_BLC = blocks[i]->backward(d_BLC, [&](const Tensor<3>& g) { return ffn.backward(g); });
    }
    return {norm2(h_BLC) / norm2(x_BLC), norm2(d_BLC) / norm2(dy_BLC)};
}

}  // namespace

int main(int argc, char** argv) {
    return run_program(
        argc, argv, "ch06_layer_norm_residual",
        "Chapter 06 — layer norm, residual connections and dropout",
        [](const ProgramOptions& options) {
            Rng rng(options.seed);
            //! [layer norm example]
            LayerNorm norm(4, "encoder.norm.");
            const Tensor<3> x_BLC = {{{1, 0, 0, 0}}};
            const Tensor<3> y_BLC = norm.forward(x_BLC);  // [1.5, -0.5, -0.5, -0.5]
            //! [layer norm example]
            std::cout << "\nthe Annotated Transformer's LayerNorm of [1, 0, 0, 0]: " << y_BLC
                      << "\nnn.LayerNorm's formula (biased variance, eps inside the root) gives: ";
            {
                const double mean = 0.25, var = (0.75 * 0.75 + 3 * 0.25 * 0.25) / 4;
                for (float v : x_BLC) std::printf("%.4f ", (v - mean) / std::sqrt(var + 1e-5));
                std::printf("\n");
            }

            // A feed-forward sublayer inside both kinds of residual connection.
            const std::size_t C = 6;
            PositionwiseFeedForward ffn(C, 12, 0.0f, rng);
            Tensor<3> in_BLC = xt::zeros<float>({std::size_t(2), std::size_t(3), C});
            Tensor<3> g_BLC = in_BLC;
            fill_uniform(in_BLC, -1, 1, rng);
            fill_uniform(g_BLC, -1, 1, rng);
            for (NormPlacement placement : {NormPlacement::Pre, NormPlacement::Post}) {
                //! [sublayer connection]
                SublayerConnection residual(C, /*dropout=*/0.0f, rng,
                                            "encoder.layers.0.sublayer.1.", placement);
                auto sublayer = [&](const Tensor<3>& h) { return ffn.forward(h); };
                auto sublayer_backward = [&](const Tensor<3>& d) { return ffn.backward(d); };
                const Tensor<3> out_BLC = residual.forward(in_BLC, sublayer);
                const Tensor<3> din_BLC = residual.backward(g_BLC, sublayer_backward);
                //! [sublayer connection]
                auto loss = [&] { return dot_double(residual.forward(in_BLC, sublayer), g_BLC); };
                GradCheckOptions fine;
                fine.step = 1e-3;  // the feed-forward sublayer has ReLU kinks (chapter 05)
                std::cout << "\n"
                          << (placement == NormPlacement::Pre ? "pre-norm " : "post-norm") << " "
                          << check_gradient("x_BLC", in_BLC, din_BLC, loss, fine).report << "\n";
                (void)out_BLC;
            }

            // What depth does: activations and gradients through N blocks, both placements.
            std::cout << "\n   N   pre-norm: |y|/|x|  |dx|/|dy|    post-norm: |y|/|x|  |dx|/|dy|\n";
            Tensor<2> table = xt::zeros<float>({std::size_t(12), std::size_t(5)});
            for (std::size_t row = 0; row < 12; ++row) {
                const std::size_t depth = 2 * (row + 1);
                const auto pre = stack_ratios(depth, NormPlacement::Pre, rng);
                const auto post = stack_ratios(depth, NormPlacement::Post, rng);
                std::printf("%4zu   %15.2f %10.2f   %17.2f %10.2f\n", depth, pre.first, pre.second,
                            post.first, post.second);
                table(row, 0) = float(depth);
                table(row, 1) = float(pre.first);
                table(row, 2) = float(pre.second);
                table(row, 3) = float(post.first);
                table(row, 4) = float(post.second);
            }
            if (!options.figures.empty())
                write_matrix_data(options.figures + "/residual_depth.dat", table);
        });
}
