// Chapter 03 — scaled dot-product attention: the demo.
//
// Builds the masks, runs attention over a small sentence (embedded and position-encoded
// with chapters 01 and 02), prints the weights with and without the causal mask, shows
// what a fully masked row does, and checks the backward pass by finite differences.
// With --figures DIR it writes the numbers behind the chapter's two figures.
//
//   ch03_attention [--seed S] [--figures DIR]
#include <cstdio>
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
#include "attention.hpp"
#include "masks.hpp"

using namespace tfm;

namespace {
void print_weights(const std::vector<std::string>& tokens, const Tensor<4>& p_BHLM) {
    std::printf("%8s", "");
    for (const auto& t : tokens) std::printf("%7s", t.c_str());
    std::printf("\n");
    for (std::size_t l = 0; l < tokens.size(); ++l) {
        std::printf("%8s", tokens[l].c_str());
        for (std::size_t m = 0; m < tokens.size(); ++m) std::printf("%7.3f", p_BHLM(0, 0, l, m));
        std::printf("\n");
    }
}
}  // namespace

int main(int argc, char** argv) {
    return run_program(
        argc, argv, "ch03_attention", "Chapter 03 — scaled dot-product attention",
        [](const ProgramOptions& options) {
            const std::uint64_t seed = options.seed;
            const std::string& figures = options.figures;
            std::cout << "\nThe causal (subsequent) mask for L = 5: row l may see columns 0..l\n"
                      << xt::view(subsequent_mask(5), 0) << "\n";
            const xt::xtensor<std::int64_t, 2> ids_BM = {{5, 8, 2, 0, 0}, {4, 4, 9, 7, 1}};
            std::cout << "\npadding mask of ids " << ids_BM << " with pad id 0:\n"
                      << padding_mask(ids_BM, 0) << "\n";

            //! [attention on a sentence]
            const std::vector<std::string> tokens = {"the", "cat", "sat", "on", "the", "mat"};
            const xt::xtensor<std::int64_t, 2> ids_BL = {{3, 4, 5, 6, 3, 7}};
            const std::size_t L = tokens.size(), C = 16;
            Rng rng(seed);
            Embeddings embed(10, C, rng);
            xavier_uniform(embed.lut.value, rng);  // as make_model (chapter 07) initialises it
            PositionalEncoding position(C, 0.0f, rng);
            // x: [1, 6, 16]. With one head and no projections (chapter 04 adds them), the
            // queries, keys and values are x itself, viewed as [B=1, H=1, L=6, K=16].
            Tensor<3> x_BLC = position.forward(embed.forward(ids_BL));
            Tensor<4> x_BHLK = xt::reshape_view(x_BLC, {std::size_t(1), std::size_t(1), L, C});
            ScaledDotProductAttention attention(/*dropout=*/0.0f, rng);
            Tensor<4> out_BHLK = attention.forward(x_BHLK, x_BHLK, x_BHLK);
            //! [attention on a sentence]
            std::cout << "\nscores = Q·Kᵀ: (L, C)·(C, L) = "
                      << shape_to_string(std::vector<std::size_t>{L, C}) << "·"
                      << shape_to_string(std::vector<std::size_t>{C, L}) << " → "
                      << shape_to_string(std::vector<std::size_t>{L, L})
                      << ", one score per (query, key)\n"
                      << "with heads: " << shape_to_string(x_BHLK.shape()) << " @ transpose → "
                      << shape_to_string(attention.probabilities().shape())
                      << "\n\nweights, no mask:\n";
            print_weights(tokens, attention.probabilities());
            if (!figures.empty()) {
                write_matrix_data(figures + "/attention_weights.dat",
                                  Tensor<2>(xt::view(attention.probabilities(), 0, 0)));
                write_lines(figures + "/attention_weights_tokens.txt", tokens);
            }

            attention.forward(x_BHLK, x_BHLK, x_BHLK, subsequent_mask(L));
            std::cout << "\nweights with the causal mask (no word sees the words after it):\n";
            print_weights(tokens, attention.probabilities());

            // A query whose every key is masked: all scores are −1e9, so the softmax is
            // uniform and the output is the mean of the values — not NaN, but not meaningful.
            xt::xtensor<bool, 3> none_B1M = xt::zeros<bool>({std::size_t(1), std::size_t(1), L});
            attention.forward(x_BHLK, x_BHLK, x_BHLK, none_B1M);
            std::cout << "\nevery key masked: weights of row 0 = "
                      << xt::view(attention.probabilities(), 0, 0, 0) << " (uniform, 1/6 each)\n";

            // Backward, checked by finite differences. float32 differences are only trustworthy
            // on well-scaled inputs (the page explains why), so the check uses queries, keys
            // and values drawn from U(−1, 1), two heads, and the causal mask.
            Tensor<4> q_BHLK =
                xt::zeros<float>({std::size_t(1), std::size_t(2), L, std::size_t(4)});
            Tensor<4> k_BHLK = q_BHLK, v_BHLK = q_BHLK, g_BHLK = q_BHLK;
            for (auto* t : {&q_BHLK, &k_BHLK, &v_BHLK, &g_BHLK}) fill_uniform(*t, -1, 1, rng);
            const auto mask = subsequent_mask(L);
            auto loss = [&] {
                return dot_double(attention.forward(q_BHLK, k_BHLK, v_BHLK, mask), g_BHLK);
            };
            loss();
            const AttentionGrads grads = attention.backward(g_BHLK);
            std::cout << "\n";
            for (const auto& r : {check_gradient("q_BHLK", q_BHLK, grads.dq_BHLK, loss),
                                  check_gradient("k_BHMK", k_BHLK, grads.dk_BHMK, loss),
                                  check_gradient("v_BHMK", v_BHLK, grads.dv_BHMK, loss)}) {
                std::cout << r.report << "\n";
            }

            if (!figures.empty()) {
                write_matrix_data(figures + "/causal_mask.dat",
                                  Tensor<2>(xt::cast<float>(xt::view(subsequent_mask(20), 0))));
                std::cout << "figure data written to " << figures << "\n";
            }
        });
}
