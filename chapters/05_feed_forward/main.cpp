// Chapter 05 — the position-wise feed-forward network: the demo.
//
// Counts the parameters of the base model's network, shows that it treats every
// position alike, shows how sparse ReLU makes the hidden layer, and checks the backward
// pass by finite differences — away from ReLU's kink, and at it.
//
//   ch05_feed_forward [--seed S] [--figures DIR]
#include <cmath>
#include <iostream>
#include <string>

#include <xtensor/xio.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/figures.hpp"
#include "00_tensors/gradcheck.hpp"
#include "00_tensors/program.hpp"
#include "00_tensors/shapes.hpp"
#include "feed_forward.hpp"

using namespace tfm;

int main(int argc, char** argv) {
    return run_program(
        argc, argv, "ch05_feed_forward", "Chapter 05 — the position-wise feed-forward network",
        [](const ProgramOptions& options) {
            Rng rng(options.seed);
            {
                PositionwiseFeedForward base(512, 2048, 0.1f, rng,
                                             "encoder.layers.0.feed_forward.");
                std::cout << "\nthe base model's network, C = 512, F = 2048:\n";
                for (const Parameter* p : base.parameters()) {
                    std::cout << "  " << p->name << " " << shape_to_string(p->value.shape())
                              << "\n";
                }
                std::cout << "  " << count_scalars(base.parameters())
                          << " parameters per layer — twice attention's 1,050,624\n";
            }

            //! [feed-forward demo]
            const std::size_t C = 8, F = 32;
            PositionwiseFeedForward ffn(C, F, /*dropout=*/0.0f, rng);
            Tensor<3> x_BLC = xt::zeros<float>({std::size_t(1), std::size_t(6), C});
            fill_uniform(x_BLC, -1, 1, rng);
            xt::view(x_BLC, 0, 4) =
                xt::view(x_BLC, 0, 1);                   // positions 1 and 4 hold the same vector
            const Tensor<3> y_BLC = ffn.forward(x_BLC);  // [1, 6, 8]
            //! [feed-forward demo]
            std::cout << "\nsame input at positions 1 and 4 → same output: "
                      << (xt::view(y_BLC, 0, 1) == xt::view(y_BLC, 0, 4) ? "yes" : "no")
                      << " (position-wise: no position sees another)\n";
            const auto& h_BLF = ffn.pre_activation();
            std::size_t active = 0;
            for (float v : h_BLF) active += v > 0.0f;
            std::cout << "hidden units active after ReLU: " << active << " of " << h_BLF.size()
                      << "\n";
            if (!options.figures.empty()) {
                const Tensor<2> a_LF =
                    xt::where(xt::view(h_BLF, 0) > 0.0f, xt::view(h_BLF, 0), 0.0f);
                write_matrix_data(options.figures + "/ffn_activations.dat", a_LF);
            }

            // Backward, checked by finite differences on a small network. A step must not
            // carry a pre-activation across 0, where ReLU's slope jumps. Moving one x_c by s
            // moves a pre-activation by at most s·max|w_1|, and the check steps up to 2s; so
            // s = min|h| / (4·max|w_1|) can never reach a kink — and we verify that it did not.
            PositionwiseFeedForward small(4, 6, 0.0f, rng);
            Tensor<3> xs_BLC = xt::zeros<float>({std::size_t(1), std::size_t(3), std::size_t(4)});
            Tensor<3> g_BLC = xs_BLC;
            fill_uniform(xs_BLC, -1, 1, rng);
            fill_uniform(g_BLC, -1, 1, rng);
            small.forward(xs_BLC);
            const xt::xtensor<bool, 3> signs = small.pre_activation() > 0.0f;
            const double min_h = xt::amin(xt::abs(small.pre_activation()))();
            const double max_w = xt::amax(xt::abs(small.w_1.weight.value))();
            GradCheckOptions safe;
            safe.step = std::min(3e-2, min_h / (4 * max_w));
            bool crossed = false;
            auto loss = [&] {
                const double l = dot_double(small.forward(xs_BLC), g_BLC);
                crossed = crossed || !xt::all(xt::equal(small.pre_activation() > 0.0f, signs));
                return l;
            };
            loss();
            const Tensor<3> dx_BLC = small.backward(g_BLC);
            const auto r = check_gradient("x_BLC", xs_BLC, dx_BLC, loss, safe);
            std::cout << "\nsmallest |pre-activation| " << min_h << ", so the step is " << safe.step
                      << "\n"
                      << r.report << "\nany pre-activation crossed 0 during the check: "
                      << (crossed ? "yes" : "no") << "\n";
        });
}
