// Chapter 07 — the encoder-decoder: the demo, and a command line for the model.
//
//   ch07_encoder_decoder [--seed S] [--figures DIR]
//       the demo: make_model's parameters, untrained greedy decoding, the forward time of
//       the base model, and (with --figures) the architecture drawn with its shapes
//   ch07_encoder_decoder forward --checkpoint DIR --src SRC.npy --tgt TGT.npy --pad ID
//                        --out OUT.npy
//       log-probabilities [B, L, V] (float32) of int64 token ids src [B, M] and tgt [B, L]
//   ch07_encoder_decoder greedy --checkpoint DIR --src SRC.npy --pad ID --start ID
//                        --max-len LEN --out OUT.npy
//       greedy decoding: int64 token ids [B, LEN]
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <xtensor/xio.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "00_tensors/program.hpp"
#include "00_tensors/shapes.hpp"
#include "01_embeddings/embeddings.hpp"
#include "03_attention/masks.hpp"
#include "checkpoint.hpp"
#include "encoder_decoder.hpp"

using namespace tfm;

namespace {

struct CommandLine {
    std::string checkpoint, src, tgt, out;
    std::int64_t pad = 0, start = 0;
    std::size_t max_len = 0;
    CLI::App* forward = nullptr;
    CLI::App* greedy = nullptr;
};

// A batch of token ids [B, L] from a .npy file (`what` is its flag): at least one sequence
// of at least one token, no longer than the model's positional table, and every id in the
// vocabulary [0, vocab). An empty array may declare any shape — (10^18, 0) is 128 bytes —
// so its sizes are checked here, before the model loops over them.
xt::xtensor<std::int64_t, 2> load_ids(const std::string& path, const std::string& what,
                                      std::size_t max_positions, std::size_t vocab) {
    xt::xtensor<std::int64_t, 2> ids_BL;
    try {
        ids_BL = load_npy<std::int64_t, 2>(path);
    } catch (const FileError& e) {
        throw std::runtime_error(what + ": " + e.what());
    }
    const std::size_t B = ids_BL.shape()[0], L = ids_BL.shape()[1];
    if (B == 0 || L == 0) {
        throw ShapeError(what + ": expected at least one sequence of at least one token, got " +
                         shape_to_string(ids_BL.shape()));
    }
    if (L > max_positions) {
        throw ShapeError(what + ": sequences of " + std::to_string(L) +
                         " tokens, more than the model's " + std::to_string(max_positions) +
                         " positions");
    }
    check_token_ids(ids_BL, vocab, what + " " + path);  // chapter 01's check, naming the flag
    return ids_BL;
}

// The padding id must be one the vocabulary has, or -1 for a batch without padding: any
// other id matches no token, and the masks would silently hide nothing.
void check_pad(std::int64_t pad, std::size_t vocab, const std::string& which) {
    if (pad < -1 || (pad >= 0 && std::uint64_t(pad) >= vocab)) {
        throw std::out_of_range("--pad " + std::to_string(pad) + " is outside the " + which +
                                " vocabulary [0, " + std::to_string(vocab) + ") (-1: no padding)");
    }
}

void run_forward(const CommandLine& cl) {
    check_output_file(cl.out, "--out");  // before the work
    check_not_an_input(cl.out, "--out",
                       {{"--src", cl.src}, {"--tgt", cl.tgt}, {"--checkpoint", cl.checkpoint}});
    EncoderDecoder model = load_checkpoint(cl.checkpoint);
    model.train(false);
    check_pad(cl.pad, model.config().src_vocab, "source");
    check_pad(cl.pad, model.config().tgt_vocab, "target");
    const auto src_BM =
        load_ids(cl.src, "--src", model.src_embed.position.max_len(), model.config().src_vocab);
    const auto tgt_BL =
        load_ids(cl.tgt, "--tgt", model.tgt_embed.position.max_len(), model.config().tgt_vocab);
    if (src_BM.shape()[0] != tgt_BL.shape()[0]) {
        throw ShapeError("--src has " + std::to_string(src_BM.shape()[0]) +
                         " sequences but --tgt has " + std::to_string(tgt_BL.shape()[0]));
    }
    //! [standard masks]
    const xt::xtensor<bool, 3> src_mask_B1M = padding_mask(src_BM, cl.pad);
    const xt::xtensor<bool, 3> tgt_mask_BLL = decoder_mask(tgt_BL, cl.pad);
    const Tensor<3> logp_BLV =
        model.generator.forward(model.forward(src_BM, tgt_BL, src_mask_B1M, tgt_mask_BLL));
    //! [standard masks]
    save_npy(cl.out, logp_BLV);
    std::cout << "wrote log-probabilities " << shape_to_string(logp_BLV.shape()) << " to " << cl.out
              << "\n";
}

void run_greedy(const CommandLine& cl) {
    check_output_file(cl.out, "--out");  // before the work
    check_not_an_input(cl.out, "--out", {{"--src", cl.src}, {"--checkpoint", cl.checkpoint}});
    EncoderDecoder model = load_checkpoint(cl.checkpoint);
    model.train(false);
    check_pad(cl.pad, model.config().src_vocab, "source");
    const auto src_BM =
        load_ids(cl.src, "--src", model.src_embed.position.max_len(), model.config().src_vocab);
    if (cl.start < 0 || std::size_t(cl.start) >= model.config().tgt_vocab) {
        throw std::out_of_range("--start " + std::to_string(cl.start) +
                                " is outside the target vocabulary [0, " +
                                std::to_string(model.config().tgt_vocab) + ")");
    }
    const auto ys_BL =
        greedy_decode(model, src_BM, padding_mask(src_BM, cl.pad), cl.max_len, cl.start);
    save_npy(cl.out, ys_BL);
    std::cout << "wrote " << shape_to_string(ys_BL.shape()) << " token ids to " << cl.out << "\n";
}

// The architecture as a graphviz graph, with the shape of every tensor on its edge.
void write_architecture(const std::string& path, const ModelConfig& c) {
    // The sizes come from the configuration the figure is drawn for (the paper's base model).
    const std::string N = std::to_string(c.N), C = std::to_string(c.d_model),
                      F = std::to_string(c.d_ff), H = std::to_string(c.h),
                      K = std::to_string(c.d_model / c.h);
    std::ostringstream dot;
    dot << "digraph transformer {\n"
           "  rankdir=BT; graph [fontname=\"sans\"]; node [shape=box, style=\"rounded,filled\", "
           "fillcolor=\"#f7f7f7\", "
           "fontname=\"sans\"];\n"
           "  edge [fontname=\"monospace\", fontsize=10];\n"
           "  src [label=\"source ids\", shape=plaintext, fillcolor=white]; "
           "tgt [label=\"target ids (shifted right)\", shape=plaintext, fillcolor=white];\n"
           "  semb [label=\"src_embed\\nEmbeddings ×√C + positional encoding\"]; "
           "temb [label=\"tgt_embed\\nEmbeddings ×√C + positional encoding\"];\n"
           "  subgraph cluster_enc { label=\"encoder: N = "
        << N
        << " layers\"; style=rounded;\n"
           "    esa [label=\"sublayer 0: x + self_attn(norm(x))\\n"
        << H << " heads, d_k = " << K
        << "\"]; "
           "eff [label=\"sublayer 1: x + feed_forward(norm(x))\\nC = "
        << C << " → F = " << F
        << " → C\"]; }\n"
           "  enorm [label=\"encoder.norm\"];\n"
           "  subgraph cluster_dec { label=\"decoder: N = "
        << N
        << " layers\"; style=rounded;\n"
           "    dsa [label=\"sublayer 0: x + self_attn(norm(x))\\ncausal mask\"]; "
           "dca [label=\"sublayer 1: x + src_attn(norm(x), memory)\"];\n"
           "    dff [label=\"sublayer 2: x + feed_forward(norm(x))\"]; }\n"
           "  dnorm [label=\"decoder.norm\"]; gen [label=\"generator\\nLinear C → V, "
           "log-softmax\"];\n"
           "  out [label=\"log-probabilities\", shape=plaintext, fillcolor=white];\n"
           "  src -> semb [label=\" [B, M]\"]; semb -> esa [label=\" [B, M, C]\"]; esa -> eff "
           "[label=\" [B, M, C]\"];\n"
           "  eff -> enorm [label=\" [B, M, C] (×N)\"]; "
           "enorm -> dca [label=\" memory [B, M, C]\", color=\"#b2182b\", fontcolor=\"#b2182b\"];\n"
           "  tgt -> temb [label=\" [B, L]\"]; temb -> dsa [label=\" [B, L, C]\"]; dsa -> dca "
           "[label=\" [B, L, C]\"];\n"
           "  dca -> dff [label=\" [B, L, C]\"]; dff -> dnorm [label=\" [B, L, C] (×N)\"]; "
           "dnorm -> gen [label=\" [B, L, C]\"];\n"
           "  gen -> out [label=\" [B, L, V]\"];\n"
           "}\n";
    write_file_atomically(path, dot.str());
}

void demo(const ProgramOptions& options) {
    //! [make model demo]
    ModelConfig config;
    config.src_vocab = 11;
    config.tgt_vocab = 11;
    config.N = 2;  // make_model(11, 11, 2): C = 512, F = 2048, h = 8, dropout 0.1
    EncoderDecoder model(config, options.seed);
    //! [make model demo]
    std::cout << "\nmake_model(11, 11, 2): " << count_scalars(model.parameters())
              << " parameters in " << model.parameters().size() << " tensors, e.g.\n";
    for (const Parameter* p : model.parameters()) {
        const std::string& n = p->name;
        if (n == "encoder.layers.0.self_attn.linears.0.weight" ||
            n == "encoder.layers.0.sublayer.1.norm.a_2" ||
            n == "decoder.layers.1.src_attn.linears.3.bias" || n == "src_embed.0.lut.weight" ||
            n == "generator.proj.weight") {
            std::cout << "  " << n << " " << shape_to_string(p->value.shape()) << "\n";
        }
    }

    //! [untrained inference]
    model.train(false);
    const xt::xtensor<std::int64_t, 2> src_BM = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}};
    const xt::xtensor<bool, 3> src_mask_B1M =
        xt::ones<bool>({std::size_t(1), std::size_t(1), std::size_t(10)});
    const auto ys_BL = greedy_decode(model, src_BM, src_mask_B1M, /*max_len=*/10, /*start=*/0);
    //! [untrained inference]
    std::cout << "\nExample untrained model prediction: " << ys_BL
              << "\n(an untrained model repeats a few tokens: its weights are random)\n";

    // The base model's forward pass on 32 sentences of 32 tokens.
    ModelConfig base;
    base.src_vocab = base.tgt_vocab = 8000;
    EncoderDecoder big(base, options.seed);
    big.train(false);
    xt::xtensor<std::int64_t, 2> ids_BL =
        xt::zeros<std::int64_t>({std::size_t(32), std::size_t(32)});
    for (std::size_t i = 0; i < ids_BL.size(); ++i)
        ids_BL.data()[i] = std::int64_t(big.rng().below(8000));
    const auto src_mask = padding_mask(ids_BL, -1);
    const auto tgt_mask = decoder_mask(ids_BL, -1);
    big.generator.forward(big.forward(ids_BL, ids_BL, src_mask, tgt_mask));  // warm-up
    const auto start = std::chrono::steady_clock::now();
    const auto logp = big.generator.forward(big.forward(ids_BL, ids_BL, src_mask, tgt_mask));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf(
        "\nbase model (N=6, C=512, F=2048, h=8, V=8000, %zu parameters):\n"
        "forward of 32x32 source and target tokens: %.0f ms (%.0f target tokens/s)\n",
        count_scalars(big.parameters()), 1e3 * seconds, 1024 / seconds);
    (void)logp;

    if (!options.figures.empty()) {
        write_architecture(options.figures + "/architecture.dot", base);  // the paper's base model
        std::cout << "figure data written to " << options.figures << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    return run_program(
        argc, argv, "ch07_encoder_decoder", "Chapter 07 — the encoder-decoder",
        [&](const ProgramOptions& options) {
            if (cl.forward->parsed()) {
                refuse_seed(options, "forward");
                run_forward(cl);
            } else if (cl.greedy->parsed()) {
                refuse_seed(options, "greedy");
                run_greedy(cl);
            } else {
                demo(options);
            }
        },
        [&](CLI::App& app) {
            cl.forward =
                app.add_subcommand("forward", "log-probabilities of a batch (float32 [B, L, V])");
            cl.greedy = app.add_subcommand("greedy", "greedy decoding (int64 [B, max-len])");
            for (CLI::App* sub : {cl.forward, cl.greedy}) {
                sub->add_option("--checkpoint", cl.checkpoint, "checkpoint directory")
                    ->required()
                    ->check(CLI::ExistingDirectory);
                sub->add_option("--src", cl.src, "source token ids, int64 [B, M] .npy")
                    ->required()
                    ->check(CLI::ExistingFile);
                sub->add_option("--pad", cl.pad, "the padding token id")->required();
                sub->add_option("--out", cl.out, "output .npy file")->required();
            }
            cl.forward->add_option("--tgt", cl.tgt, "target token ids, int64 [B, L] .npy")
                ->required()
                ->check(CLI::ExistingFile);
            cl.greedy->add_option("--start", cl.start, "the start-of-sentence token id")
                ->required();
            // The positional table has 5000 rows: no output can be longer.
            cl.greedy
                ->add_option("--max-len", cl.max_len,
                             "length of the output, start token included (at most 5000)")
                ->required()
                ->check(CLI::Range(1, 5000));
            app.require_subcommand(0, 1);
        });
}
