// Chapter 04 — multi-head attention: the demo.
//
// Shows how one [C, C] projection becomes H heads, runs self-attention with four heads
// over a small sentence (each head draws its own attention map), runs cross-attention
// between sequences of different lengths, checks the backward pass by finite
// differences, and shows the error for a C that H does not divide.
//
//   ch04_multi_head_attention [--seed S] [--figures DIR]
#include <iostream>
#include <string>
#include <vector>

#include <xtensor/xio.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/figures.hpp"
#include "00_tensors/gradcheck.hpp"
#include "00_tensors/program.hpp"
#include "00_tensors/shapes.hpp"
#include "01_embeddings/embeddings.hpp"
#include "02_positional_encoding/positional_encoding.hpp"
#include "multi_head_attention.hpp"

using namespace tfm;

int main(int argc, char** argv) {
    return run_program(
        argc, argv, "ch04_multi_head_attention", "Chapter 04 — multi-head attention",
        [](const ProgramOptions& options) {
            Rng rng(options.seed);
            const std::vector<std::string> tokens = {"the", "cat", "sat", "on", "the", "mat"};
            const xt::xtensor<std::int64_t, 2> ids_BL = {{3, 4, 5, 6, 3, 7}};
            const std::size_t C = 16, H = 4;

            //! [self-attention with heads]
            Embeddings embed(10, C, rng);
            PositionalEncoding position(C, 0.0f, rng);
            MultiHeadedAttention self_attn(H, C, /*dropout=*/0.0f, rng,
                                           "encoder.layers.0.self_attn.");
            for (Parameter* p : self_attn.parameters()) {
                if (p->value.dimension() > 1) xavier_uniform(p->value, rng);  // as make_model does
            }
            xavier_uniform(embed.lut.value, rng);
            const Tensor<3> x_BLC = position.forward(embed.forward(ids_BL));
            // Self-attention: the sentence is query, key and value at once.
            const Tensor<3> y_BLC = self_attn.forward(x_BLC, x_BLC, x_BLC);
            //! [self-attention with heads]

            std::cout << "\nparameters:\n";
            for (const Parameter* p : self_attn.parameters()) {
                std::cout << "  " << p->name << " " << shape_to_string(p->value.shape()) << "\n";
            }
            std::cout << "x_BLC " << shape_to_string(x_BLC.shape()) << " → Q = x·W_Qᵀ "
                      << shape_to_string(x_BLC.shape()) << " → split into " << H
                      << " heads of K = " << C / H << ": "
                      << shape_to_string(split_heads(x_BLC, H).shape()) << "\nweights "
                      << shape_to_string(self_attn.attention_weights().shape()) << ", output y_BLC "
                      << shape_to_string(y_BLC.shape()) << "\n";
            for (std::size_t h = 0; h < H; ++h) {
                std::cout << "head " << h << ", where \"sat\" looks: "
                          << xt::view(self_attn.attention_weights(), 0, h, 2) << "\n";
            }
            if (!options.figures.empty()) {
                for (std::size_t h = 0; h < H; ++h) {
                    write_matrix_data(options.figures + "/mha_head" + std::to_string(h) + ".dat",
                                      Tensor<2>(xt::view(self_attn.attention_weights(), 0, h)));
                }
                write_lines(options.figures + "/mha_tokens.txt", tokens);
            }

            // Cross-attention: 3 decoder positions attend over the 6-token memory.
            MultiHeadedAttention src_attn(H, C, 0.0f, rng, "decoder.layers.0.src_attn.");
            Tensor<3> target_BLC = xt::zeros<float>({std::size_t(1), std::size_t(3), C});
            fill_uniform(target_BLC, -1, 1, rng);
            const auto z_BLC = src_attn.forward(target_BLC, y_BLC, y_BLC);
            std::cout << "\ncross-attention: queries " << shape_to_string(target_BLC.shape())
                      << ", memory " << shape_to_string(y_BLC.shape()) << " → weights "
                      << shape_to_string(src_attn.attention_weights().shape()) << ", output "
                      << shape_to_string(z_BLC.shape()) << "\n";

            // Backward, checked by finite differences on well-scaled inputs (chapter 00).
            MultiHeadedAttention small(2, 6, 0.0f, rng);
            Tensor<3> q_BLC = xt::zeros<float>({std::size_t(2), std::size_t(3), std::size_t(6)});
            Tensor<3> m_BMC = xt::zeros<float>({std::size_t(2), std::size_t(4), std::size_t(6)});
            Tensor<3> g_BLC = q_BLC;
            for (auto* t : {&q_BLC, &m_BMC, &g_BLC}) fill_uniform(*t, -1, 1, rng);
            auto loss = [&] { return dot_double(small.forward(q_BLC, m_BMC, m_BMC), g_BLC); };
            loss();
            const MultiHeadGrads grads = small.backward(g_BLC);
            // The memory is both key and value: its gradient is the sum of both roles.
            const Tensor<3> dmemory_BMC = grads.dkey_BMC + grads.dvalue_BMC;
            const xt::xarray<float> dw_q = small.linears[0].weight.grad;
            std::cout << "\n";
            for (const auto& r :
                 {check_gradient("query_BLC", q_BLC, grads.dquery_BLC, loss),
                  check_gradient("memory_BMC", m_BMC, dmemory_BMC, loss),
                  check_gradient("linears.0.weight", small.linears[0].weight.value, dw_q, loss)}) {
                std::cout << r.report << "\n";
            }

            try {
                MultiHeadedAttention bad(3, 16, 0.0f, rng);
            } catch (const std::exception& e) {
                std::cout << "\nthree heads for C = 16: " << e.what() << "\n";
            }
        });
}
