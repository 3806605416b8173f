// Chapter 14 — from 2017 to today's decoder: RoPE, RMSNorm, SwiGLU and grouped-query
// attention, each checked and measured against chapter 12's GPT.
//
//   ch14_modern_decoder [--figures DIR]
//       the tour: each piece at work on small numbers, the sizes and the cache of the
//       chapter's models, then a short training run of the modern decoder and a sample
//   ch14_modern_decoder train [--out RUN [--resume | --overwrite]] [--kv-heads G]
//                       [--position rope|learned] [--norm rms|layer] [--mlp swiglu|gelu]
//                       [model and training flags]
//       chapter 12's run (4 blocks, 4 heads, C = 128, context 64, batch 12, 2000
//       iterations) with the modern decoder; each flag switches one piece back to GPT-2's
//   ch14_modern_decoder sample --checkpoint DIR [--prompt TEXT] [--tokens N] ...
//       text from a trained model of this chapter or of chapter 12
//   ch14_modern_decoder evaluate --checkpoint DIR [--length L] [--positions FILE]
//                       [--sample-tokens N]
//       one line of JSON: the parameters, the loss on the whole validation split, the
//       key/value bytes per token of the sampler's cache and its speed; with --length,
//       the loss at each position of windows of L characters (RoPE past the context)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "00_tensors/figures.hpp"
#include "00_tensors/files.hpp"
#include "00_tensors/gradcheck.hpp"
#include "00_tensors/program.hpp"
#include "07_encoder_decoder/config_flags.hpp"
#include "12_language_model/lm_program.hpp"
#include "modern_decoder.hpp"

using namespace tfm;

namespace {

// Chapter 12's configuration for Tiny Shakespeare, with this chapter's pieces: G = 2 of
// H = 4 key/value heads, and F chosen for chapter 12's parameter count.
ModernConfig shakespeare_config() {
    ModernConfig c;
    c.block_size = 64;
    c.n_layer = 4;
    c.n_head = 4;
    c.n_kv_head = 2;
    c.n_embd = 128;
    return c;
}

struct CommandLine {
    LMCommandLine lm;
    ModernConfig model = shakespeare_config();
    std::size_t length = 0, sample_tokens = 0;
    std::string positions;
    CLI::App* evaluate_cmd = nullptr;
};

// A trained model of either chapter, with its characters.
struct AnyModel {
    std::unique_ptr<NextTokenModel> model;
    CharVocabulary vocabulary;
};

AnyModel load_any_model(const std::string& dir) {
    require_checkpoint_directory(dir);
    const std::string kind = directory_kind(dir);
    if (kind == kModernRunKind) {
        ModernLanguageModel lm = load_modern_language_model(dir);
        return {std::make_unique<ModernDecoder>(std::move(lm.model)), lm.vocabulary};
    }
    if (kind == kLanguageModelRunKind || kind == kLanguageModelKind) {
        LanguageModel lm = load_language_model(dir);
        return {std::make_unique<GPT>(std::move(lm.model)), lm.vocabulary};
    }
    throw CheckpointError(dir + ": not a language model of chapter 12 or 14 (" +
                          (kind.empty() ? std::string("no book marker") : kind) + ")");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ---- the tour ---------------------------------------------------------------------------

void tour_rope() {
    //! [tour rope]
    // RoPE: one query and one key, rotated to positions m and n. Their score depends on
    // m − n alone, wherever the pair sits.
    const std::size_t K = 32;
    const RotaryEmbedding rope(K);
    Rng rng(14);
    Tensor<4> q = xt::zeros<float>({std::size_t(1), std::size_t(1), std::size_t(1), K}), k = q;
    fill_normal(q, 0.0f, 1.0f, rng);
    fill_normal(k, 0.0f, 1.0f, rng);
    auto score = [&](std::size_t m, std::size_t n) {
        Tensor<4> qm = q, kn = k;
        rope.rotate(qm, m);
        rope.rotate(kn, n);
        return dot_double(qm, kn);
    };
    std::printf("RoPE, K = %zu: the score of one query and one key, rotated to m and n\n", K);
    for (const auto& [m, n] :
         {std::pair<std::size_t, std::size_t>{5, 2}, {105, 102}, {100005, 100002}, {5, 3}, {5, 5}})
        std::printf("  m = %6zu, n = %6zu (m - n = %zu): %9.5f\n", m, n, m - n, score(m, n));
    //! [tour rope]
}

void tour_norms() {
    //! [tour norms]
    // RMSNorm and LayerNorm on one row with an offset: LayerNorm removes the mean, RMSNorm
    // only divides by the root mean square.
    Tensor<3> x = {{{3.0f, 4.0f, 5.0f, 8.0f}}};
    RMSNorm rms(4, "");
    StandardLayerNorm ln(4, "", false);
    const Tensor<3> a = rms.forward(x), b = ln.forward(x);
    std::printf("\nx = [3 4 5 8]:\n  RMSNorm   [%6.3f %6.3f %6.3f %6.3f]   (rms(x) = %.3f)\n",
                a(0, 0, 0), a(0, 0, 1), a(0, 0, 2), a(0, 0, 3), std::sqrt(114.0 / 4.0));
    std::printf("  LayerNorm [%6.3f %6.3f %6.3f %6.3f]   (mean 5, then the spread)\n", b(0, 0, 0),
                b(0, 0, 1), b(0, 0, 2), b(0, 0, 3));
    //! [tour norms]
}

void tour_sizes(std::size_t vocab) {
    //! [tour sizes]
    // Equal size: chapter 12's GPT, and the modern decoder with G = 4, 2, 1 key/value
    // heads; the feed-forward width takes what the other pieces leave. The cache is the
    // sampler's own, built as generate() builds it.
    ModernConfig c = shakespeare_config();
    c.vocab = vocab;
    std::printf("\nchapter 12's GPT (C = 128, 4 blocks, 4 heads): %zu parameters\n",
                c.gpt_parameter_count());
    std::printf("  G  F    parameters  key/value cache: bytes per token\n");
    for (const std::size_t G : {4, 2, 1}) {
        c.n_kv_head = G;
        ModernDecoder model(c, 0);
        const std::unique_ptr<TokenCache> cache = model.make_cache(1);
        std::printf("  %zu  %zu  %zu      %zu\n", G, c.hidden(), count_scalars(model.parameters()),
                    cache->bytes() / cache->capacity());
    }
    //! [tour sizes]
}

void tour(const ProgramOptions& options, const CommandLine& cl) {
    if (!options.figures.empty()) {
        // The measured runs' numbers, committed with the chapter.
        copy_figure_data(TFM_CH14_RESULTS, options.figures);
        return;
    }
    tour_rope();
    tour_norms();
    const CharText data = load_char_text(cl.lm.data);
    tour_sizes(data.vocabulary.size());
    //! [tour run]
    // A short run of the modern decoder (a thirteenth of the chapter's), then a sample
    // drawn twice from one seed: with the cache of rotated keys, and recomputing.
    ModernConfig config = shakespeare_config();
    config.vocab = data.vocabulary.size();
    ModernDecoder model(config, options.seed);
    LMOptions o;
    o.max_iters = o.decay_iters = o.eval_interval = 150;
    o.warmup = 15;
    o.eval_iters = 10;
    o.seed = options.seed + 1337;
    std::printf("\nTraining the modern decoder for %zu iterations:\n", o.max_iters);
    std::fflush(stdout);
    train_language_model(model, o, data.split.train, data.split.val);
    SampleOptions cached, recomputed;
    cached.temperature = recomputed.temperature = 0.8;
    recomputed.cache = false;
    const std::vector<std::int64_t> prompt =
        data.vocabulary.encode(closing_prompt(data.vocabulary));
    Rng r1(options.seed), r2(options.seed);
    const auto a = generate(model, prompt, 200, cached, r1);
    const auto b = generate(model, prompt, 200, recomputed, r2);
    std::printf("\nA sample (temperature 0.8):\n\n%s%s\n\ncached and recomputed: %s\n",
                data.vocabulary.decode(prompt).c_str(), data.vocabulary.decode(a).c_str(),
                a == b ? "the same 200 characters" : "DIFFERENT");
    //! [tour run]
    std::printf(
        "\nThe full run (2000 iterations): ./build/chapters/14_modern_decoder/ch14_modern_decoder "
        "train --out runs/modern\n");
}

// ---- evaluate -----------------------------------------------------------------------------

// --length L, checked before the pass over the validation split: the split must hold one
// window of L + 1 characters, and the model must read L positions (learned positions stop
// at the context; one window, run now, finds out).
void check_length(NextTokenModel& model, std::size_t val_size, std::size_t length) {
    const std::string flag = "--length " + std::to_string(length) + ": ";
    if (val_size < length + 1) {
        throw std::invalid_argument(flag + "the validation split holds " +
                                    std::to_string(val_size) + " characters, no window of " +
                                    std::to_string(length + 1));
    }
    try {
        model.train(false);
        model.forward(xt::zeros<std::int64_t>({std::size_t(1), length}));
    } catch (const std::length_error& e) {
        throw std::invalid_argument(flag + e.what());
    }
}

//! [evaluate]
void run_evaluate(const ProgramOptions& options, const CommandLine& cl) {
    if (!cl.positions.empty()) {  // before the work
        check_output_file(cl.positions, "--positions");
        check_not_an_input(cl.positions, "--positions",
                           {{"--checkpoint", cl.lm.checkpoint}, {"--data", cl.lm.data}});
    }
    AnyModel m = load_any_model(cl.lm.checkpoint);
    NextTokenModel& model = *m.model;
    const CharText text = load_char_text(cl.lm.data, &m.vocabulary);
    if (cl.length > 0) check_length(model, text.split.val.size(), cl.length);  // before the work
    nlohmann::ordered_json out;
    out["checkpoint"] = cl.lm.checkpoint;
    out["parameters"] = count_scalars(model.parameters());
    // Every character of the validation split predicted once, in windows of the context.
    const auto start = std::chrono::steady_clock::now();
    const PositionLosses val = loss_by_position(model, text.split.val, model.context());
    out["val_loss"] = val.mean();
    out["val_characters"] = val.windows * model.context();
    out["val_seconds"] = seconds_since(start);
    // Past the context: the loss at each position of longer windows.
    if (cl.length > 0) {
        const PositionLosses longer = loss_by_position(model, text.split.val, cl.length, 8);
        out["length"] = cl.length;
        out["windows"] = longer.windows;
        if (!cl.positions.empty()) {
            Tensor<2> rows = xt::zeros<float>({cl.length, std::size_t(2)});
            for (std::size_t l = 0; l < cl.length; ++l) {
                rows(l, 0) = float(l);
                rows(l, 1) = float(longer.loss[l]);
            }
            write_matrix_data(cl.positions, rows);
        }
    }
    // The sampler's cache: what it holds per position, and how fast it writes.
    const std::unique_ptr<TokenCache> cache = model.make_cache(1);
    out["cache_bytes_per_token"] = cache->bytes() / cache->capacity();
    if (cl.sample_tokens > 0) {
        Rng rng(options.seed);
        const auto t0 = std::chrono::steady_clock::now();
        generate(model, m.vocabulary.encode("\n"), cl.sample_tokens, SampleOptions(), rng);
        out["sample_tokens_per_second"] = double(cl.sample_tokens) / seconds_since(t0);
    }
    std::printf("%s\n", out.dump().c_str());
}
//! [evaluate]

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    return run_program(
        argc, argv, "ch14_modern_decoder",
        "Chapter 14 — the modern decoder: RoPE, RMSNorm, SwiGLU, grouped-query attention",
        [&](const ProgramOptions& options) {
            if (cl.lm.train_cmd->parsed()) {
                if (cl.lm.train_cmd->get_option("--rope-base")->count() > 0 &&
                    cl.model.position == "learned") {
                    throw std::invalid_argument(
                        "--rope-base sets RoPE's frequencies, and --position learned uses no "
                        "RoPE");
                }
                run_train_command<ModernDecoder>(cl.lm, cl.model, kModernRunKind, options);
                return;
            }
            if (cl.lm.sample_cmd->parsed()) {
                AnyModel m = load_any_model(cl.lm.checkpoint);
                return run_sample_command(*m.model, m.vocabulary, cl.lm, options.seed);
            }
            if (cl.evaluate_cmd->parsed()) {
                // Only the timed sample draws random numbers.
                if (cl.sample_tokens == 0) refuse_seed(options, "evaluate without --sample-tokens");
                return run_evaluate(options, cl);
            }
            tour(options, cl);
        },
        [&](CLI::App& app) {
            add_lm_commands(app, cl.lm, TFM_TINYSHAKESPEARE);
            add_flags(*cl.lm.train_cmd, ModernConfig::fields(), cl.model);
            CLI::App& e = *(cl.evaluate_cmd = app.add_subcommand(
                                "evaluate", "measure a trained model of chapter 12 or 14"));
            e.add_option("--checkpoint", cl.lm.checkpoint, "a training run or a language model")
                ->required();
            e.add_option("--data", cl.lm.data,
                         "the text it was trained on (default: Tiny Shakespeare)");
            CLI::Option* length =
                e.add_option("--length", cl.length,
                             "also the loss at each position of windows this long (RoPE: past "
                             "the context)")
                    ->check(CLI::Range(1, 4096));
            e.add_option("--positions", cl.positions,
                         "write the loss at each position of --length's windows here")
                ->needs(length);
            e.add_option("--sample-tokens", cl.sample_tokens,
                         "time the cached sampler over this many characters")
                ->check(CLI::Range(0, 1000000));
            app.require_subcommand(0, 1);
        });
}
