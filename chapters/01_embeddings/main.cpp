// Chapter 01 — embeddings: the demo.
//
// Turns a small sentence into token ids and the ids into vectors, shows the √C scaling,
// runs the scatter-add backward with a repeated token, and checks it by finite
// differences. With --figures DIR it writes the numbers behind the chapter's figure.
//
//   ch01_embeddings [--seed S] [--figures DIR]
#include <cmath>
#include <iostream>
#include <map>
#include <string>
#include <vector>
#include <xtensor/xio.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/figures.hpp"
#include "00_tensors/gradcheck.hpp"
#include "00_tensors/program.hpp"
#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"
#include "embeddings.hpp"

using namespace tfm;

int main(int argc, char** argv) {
    return run_program(
        argc, argv, "ch01_embeddings", "Chapter 01 — embeddings",
        [](const ProgramOptions& options) {
            const std::uint64_t seed = options.seed;
            const std::string& figures = options.figures;
            // A toy vocabulary: token id = position in this list.
            const std::vector<std::string> vocab = {"<blank>", "<s>", "</s>", "the", "cat",
                                                    "sat",     "on",  "mat",  "a",   "dog"};
            std::map<std::string, std::int64_t> id_of;
            for (std::size_t i = 0; i < vocab.size(); ++i) id_of[vocab[i]] = std::int64_t(i);
            const std::vector<std::string> sentence = {"the", "cat", "sat", "on", "the", "mat"};

            //! [embed a sentence]
            Rng rng(seed);
            const std::size_t V = vocab.size(), C = 8;
            Embeddings embed(V, C, rng, "src_embed.0.");
            xt::xtensor<std::int64_t, 2> ids_BL =
                xt::zeros<std::int64_t>({std::size_t(1), sentence.size()});
            for (std::size_t l = 0; l < sentence.size(); ++l) ids_BL(0, l) = id_of.at(sentence[l]);
            Tensor<3> x_BLC = embed.forward(ids_BL);  // [1, 6, 8]
            //! [embed a sentence]

            std::cout << "\nparameter " << embed.lut.name << " "
                      << shape_to_string(embed.lut.value.shape()) << "\nids_BL = " << ids_BL
                      << "\nx_BLC shape " << shape_to_string(x_BLC.shape())
                      << "\nrow of \"the\" in the table:  "
                      << xt::view(embed.lut.value, id_of.at("the"))
                      << "\nits embedding (times √8):    " << xt::view(x_BLC, 0, 0) << "\n";
            std::cout << "positions 0 and 4 are both \"the\": identical vectors? "
                      << (xt::view(x_BLC, 0, 0) == xt::view(x_BLC, 0, 4) ? "yes" : "no")
                      << " — only the positional encoding (chapter 02) tells them apart.\n";

            // Backward: "the" occurs twice, so its table row collects two gradients.
            Tensor<3> g_BLC = xt::zeros<float>({std::size_t(1), sentence.size(), C});
            fill_uniform(g_BLC, -1, 1, rng);
            embed.backward(g_BLC);
            const std::size_t the = std::size_t(id_of.at("the"));
            Tensor<1> expected_C =
                std::sqrt(float(C)) * (xt::view(g_BLC, 0, 0) + xt::view(g_BLC, 0, 4));
            Tensor<1> got_C = xt::view(embed.lut.grad, the);
            std::cout
                << "\ngradient of the \"the\" row = √C · (dx at position 0 + dx at position 4): "
                << (xt::allclose(got_C, expected_C) ? "yes" : "no") << "\n";
            std::cout << "rows of tokens not in the sentence get no gradient: "
                      << (xt::amax(xt::abs(xt::view(embed.lut.grad, id_of.at("dog"))))() == 0
                              ? "yes"
                              : "no")
                      << "\n";
            const xt::xarray<float> dlut = embed.lut.grad;
            zero_grads(embed.parameters());
            const auto check = check_gradient("lut.weight", embed.lut.value, dlut, [&] {
                return dot_double(embed.forward(ids_BL), g_BLC);
            });
            std::cout << check.report << "\n";

            // Errors: an id outside the vocabulary.
            try {
                ids_BL(0, 2) = 42;
                embed.forward(ids_BL);
            } catch (const std::out_of_range& e) {
                std::cout << "\nan id outside the vocabulary: " << e.what() << "\n";
            }

            if (!figures.empty()) {
                // The scaled embeddings of the sentence (one row per token), for a heatmap.
                ids_BL(0, 2) = id_of.at("sat");
                const Tensor<2> x_LC = xt::view(embed.forward(ids_BL), 0);
                write_matrix_data(figures + "/embeddings_sentence.dat", x_LC);
                write_lines(figures + "/embeddings_sentence_tokens.txt", sentence);
                std::cout << "figure data written to " << figures << "\n";
            }
        });
}
