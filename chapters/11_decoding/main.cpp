// Chapter 11 — decoding: the key/value cache, beam search, and what the model attends to.
//
//   ch11_decoding [--figures DIR]
//       the tour: the cache agrees with recomputing, what it costs in memory, and greedy
//       against beam search on a small model trained in seconds on a made-up language
//   ch11_decoding translate --checkpoint RUN [--beam K] [--alpha A] [--no-cache] [--input FILE]
//   ch11_decoding bleu --checkpoint RUN --data DIR [--split val|test] [--beam K]
//                 [--alpha A] [--no-cache]
//       chapter 10's commands with this chapter's searches (greedy with the cache by default)
//   ch11_decoding attention --checkpoint RUN --data DIR --out DIR [--sentences 0,7]
//       the attention maps of test sentences, as the numbers behind the figures
//   ch11_decoding inspect --checkpoint RUN [--beam K] [--alpha A] [--input FILE]
//       each sentence's translation seen from the inside, as one line of JSON: the search
//       step by step, the next-token probabilities, every attention map (what the book's
//       Look inside page shows, from the same code compiled to WebAssembly)
//   ch11_decoding bench --checkpoint RUN --data DIR --out DIR [--batch 1|64]
//                 [--decoder recompute|cache|beam]
//       decoding speed on the test split; writes the ids for the PyTorch side
//       (scripts/bench_decoding.sh runs both); --batch and --decoder pick one, to profile
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <xtensor/xreducer.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/figures.hpp"
#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "00_tensors/program.hpp"
#include "03_attention/masks.hpp"
#include "10_translation/bleu.hpp"
#include "10_translation/made_up_language.hpp"
#include "10_translation/translation_program.hpp"
#include "decoding.hpp"
#include "inspection.hpp"

using namespace tfm;

namespace {

struct CommandLine {
    std::string checkpoint, data, input, out, split = "test", sentences = "0,7";
    std::size_t beam = 1;
    double alpha = 0.6;
    bool no_cache = false;
    std::size_t bench_batch = 0;  // 0: batches of 1 and of 64
    std::string bench_decoder = "all";
    CLI::App* translate_cmd = nullptr;
    CLI::App* bleu_cmd = nullptr;
    CLI::App* attention_cmd = nullptr;
    CLI::App* inspect_cmd = nullptr;
    CLI::App* bench_cmd = nullptr;
    std::vector<CLI::Option*> alpha_flags;  // one per command that searches
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

DecodeOptions options_of(const CommandLine& cl) {
    // The length penalty ranks a beam's finished hypotheses; greedy search ranks nothing,
    // so --alpha without a beam would change nothing, silently.
    for (const CLI::Option* alpha : cl.alpha_flags) {
        if (alpha->count() > 0 && cl.beam == 1) {
            throw std::invalid_argument(
                "--alpha is beam search's length penalty; greedy search (--beam 1) has none");
        }
    }
    DecodeOptions o;
    o.beam = cl.beam;
    o.alpha = cl.alpha;
    o.cache = !cl.no_cache;
    return o;
}

// ---- the tour -----------------------------------------------------------------------------------

// The numbers behind the figures: the trained model's attention maps, committed with the
// chapter (written by `attention` from chapter 10's run).
void write_figures(const std::string& figures) {
    copy_figure_data(TFM_CH11_RESULTS, figures);
}

// One attention map as text: a row per target token, a column per source token, the
// weight drawn as a shade from ' ' (nothing) to '@' (all of it).
void print_map(const Tensor<2>& w, const std::vector<std::string>& rows,
               const std::vector<std::string>& cols) {
    const char* shades = " .:-=+*#%@";
    std::size_t width = 0;
    for (const auto& r : rows) width = std::max(width, r.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::printf("  %*s |", int(width), rows[i].c_str());
        for (std::size_t j = 0; j < cols.size(); ++j) {
            const int level = std::min(9, int(w(i, j) * 10.0f));
            std::printf(" %c", shades[level]);
        }
        std::printf("\n");
    }
    // The source tokens, written downwards under their columns.
    std::size_t longest = 0;
    for (const auto& c : cols) longest = std::max(longest, c.size());
    for (std::size_t k = 0; k < std::min<std::size_t>(longest, 8); ++k) {
        std::printf("  %*s  ", int(width), "");
        for (const auto& c : cols) std::printf(" %c", k < c.size() ? c[k] : ' ');
        std::printf("\n");
    }
}

//! [shipped model tour]
// The translator the book ships (data/pretrained/de-en, trained by chapter 10's command):
// three sentences, greedy and beam 4, and where the last layer looks while translating.
void shipped_model_tour() {
    const std::string dir = std::string(TFM_PRETRAINED) + "/de-en";
    std::printf("\nThe trained translator the book ships (%s):\n", dir.c_str());
    Translator translator = load_translator(dir);
    const std::vector<std::string> sentences = {
        "Ein kleiner Junge springt in einen See.",
        "Zwei Frauen sitzen auf einer Bank und lesen Zeitung.",
        "Ein Mann mit einem roten Helm fährt mit dem Fahrrad einen Berg hinunter."};
    DecodeOptions greedy, beam;
    beam.beam = 4;
    const std::vector<std::string> g = translate_with(translator, sentences, greedy);
    const std::vector<std::string> b = translate_with(translator, sentences, beam);
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        std::printf("  %s\n    greedy: %s\n    beam 4: %s\n", sentences[i].c_str(), g[i].c_str(),
                    b[i].c_str());
    }
    // Cross-attention of the last decoder layer, the mean of its heads.
    const AttentionMaps maps = attention_maps(translator, sentences[0]);
    const Tensor<3>& cross_HLM = maps.decoder_cross.back();
    const Tensor<2> mean_LM = xt::mean(cross_HLM, {0});
    std::printf("\nWhere the last decoder layer looks (cross-attention, mean of its %zu heads):\n",
                cross_HLM.shape()[0]);
    print_map(mean_LM, maps.target_tokens, maps.source_tokens);
}
//! [shipped model tour]

void tour(const ProgramOptions& options) {
    if (!options.figures.empty()) return write_figures(options.figures);
    //! [exactness demo]
    // A random model, sentences with padding: the cached decoder's log-probabilities
    // against recomputing the whole prefix, step by step.
    ModelConfig config;
    config.src_vocab = config.tgt_vocab = 20;
    config.N = 2;
    config.d_model = 32;
    config.d_ff = 64;
    config.h = 4;
    EncoderDecoder model(config, options.seed);
    const xt::xtensor<std::int64_t, 2> src_BM = {{0, 5, 6, 7, 8, 1},
                                                 {0, 9, 10, 1, 2, 2}};  // <s> … </s>, padded with 2
    CachedDecoder cached(model, src_BM, 2);
    RecomputingDecoder recomputing(model, src_BM, 2);
    std::vector<std::int64_t> tokens = {0, 0};
    double worst = 0.0;
    for (std::size_t t = 0; t < 12; ++t) {
        const Tensor<2> a = cached.step(tokens), b = recomputing.step(tokens);
        for (std::size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, double(std::abs(a.data()[i] - b.data()[i])));
        tokens = {std::int64_t(4 + t % 7), std::int64_t(5 + t % 3)};
    }
    //! [exactness demo]
    std::printf(
        "\nThe cache against recomputing every prefix (random model, 2 sentences, 12 steps):\n"
        "  largest difference of a log-probability: %.2e\n",
        worst);
    std::printf(
        "  cache after 12 steps: self-attention %zu bytes (R·N·2·L·C·4 = 2·2·2·12·32·4), "
        "memory %zu bytes (R·N·2·M·C·4 = 2·2·2·6·32·4)\n",
        cached.self_cache_bytes(), cached.memory_cache_bytes());

    std::printf("\nA model trained for a few seconds on chapter 10's made-up language:\n");
    const ScratchDirectory scratch("ch11");
    Rng rng(options.seed + 7);
    write_made_up_corpus(scratch.path(), 1500, 100, 100, rng);
    const TranslationOptions o = made_up_run_options(scratch.path(), scratch / "run", options.seed);
    train_translation(o);
    Translator translator = load_translator(o.out_dir);
    const ParallelText test = read_parallel(scratch.path(), kTestSplit);
    for (const auto& [name, beam, cache] :
         {std::tuple<const char*, std::size_t, bool>{"greedy, no cache", 1, false},
          {"greedy, cache   ", 1, true},
          {"beam 4, cache   ", 4, true}}) {
        DecodeOptions d;
        d.beam = beam;
        d.cache = cache;
        const auto start = std::chrono::steady_clock::now();
        const std::vector<std::string> hyps = translate_with(translator, test.src, d);
        const double seconds = seconds_since(start);
        std::printf("  %s  BLEU %6.2f   %.2f ms per sentence\n", name,
                    corpus_bleu(hyps, test.tgt).score, 1000 * seconds / double(hyps.size()));
    }
    shipped_model_tour();
    std::printf(
        "\nOn chapter 10's trained model: ./build/chapters/11_decoding/ch11_decoding bleu "
        "--checkpoint runs/de-en "
        "--data data/multi30k --beam 4\n");
}

// ---- subcommands ----------------------------------------------------------------------------

void run_translate(const CommandLine& cl) {
    const DecodeOptions options = options_of(cl);  // the flags are checked before any work
    const std::vector<std::string> lines = read_input_lines(cl.input, "--input");  // and the input
    Translator translator = load_translator(cl.checkpoint);
    for (const std::string& line : translate_with(translator, lines, options))
        std::cout << line << "\n";
}

void run_inspect(const CommandLine& cl) {
    const DecodeOptions options = options_of(cl);
    const std::vector<std::string> lines = read_input_lines(cl.input, "--input");
    Translator translator = load_translator(cl.checkpoint);
    // Every line is checked before the first is printed: there is nothing to look inside
    // a blank one, and none may be longer than the model's positions.
    const std::vector<std::vector<std::int64_t>> sources = translator.encode(lines);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (sources[i].empty()) {
            throw std::invalid_argument("input line " + std::to_string(i + 1) +
                                        ": nothing to translate: the sentence is empty");
        }
    }
    for (const std::string& line : lines) {
        const Inspection in = inspect_translation(translator, line, options);
        std::cout << inspection_json(in, *translator.codecs.tgt).dump() << "\n";
    }
}

void run_bleu(const CommandLine& cl) {
    const DecodeOptions options = options_of(cl);
    const ParallelText text = read_parallel(cl.data, split_stem(cl.split));
    Translator translator = load_translator(cl.checkpoint);
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::string> hyps = translate_with(translator, text.src, options);
    const double seconds = seconds_since(start);
    char search[64] = "greedy";
    if (cl.beam != 1)
        std::snprintf(search, sizeof search, "beam %zu, alpha %g", std::size_t(cl.beam), cl.alpha);
    std::fprintf(stderr, "%s: %s, %s; %zu sentences in %.1f s (%.1f ms per sentence)\n",
                 cl.split.c_str(), search, cl.no_cache ? "no cache" : "key/value cache",
                 hyps.size(), seconds, 1000 * seconds / double(hyps.size()));
    std::printf("%s\n%s\n", corpus_bleu(hyps, text.tgt).report().c_str(), kBleuSignature);
}

// Writes one map as gnuplot's "matrix with row and column headers" text.
void write_map(const std::string& path, const Tensor<2>& w, const std::vector<std::string>& rows,
               const std::vector<std::string>& cols) {
    auto label = [](std::string s) {  // gnuplot reads labels as words: no quotes or spaces inside
        for (char& c : s) {
            if (c == '"' || c == ' ') c = '\'';
        }
        return s;
    };
    std::ostringstream out;
    out << "x";
    for (const auto& c : cols) out << ' ' << label(c);
    out << '\n';
    for (std::size_t r = 0; r < w.shape()[0]; ++r) {
        out << label(rows[r]);
        for (std::size_t c = 0; c < w.shape()[1]; ++c) out << ' ' << w(r, c);
        out << '\n';
    }
    write_file_atomically(path, out.str());
}

// --sentences "0,7": every number checked, against the split's `count` sentences, before
// any map is drawn.
std::vector<std::size_t> sentence_numbers(const std::string& list, std::size_t count) {
    std::vector<std::size_t> numbers;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        const std::string item = list.substr(start, comma - start);
        std::size_t index = 0;
        const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), index);
        if (item.empty() || error != std::errc() || end != item.data() + item.size()) {
            throw std::invalid_argument(
                "--sentences: expected sentence numbers separated by commas, got '" + list + "'");
        }
        if (index >= count) {
            throw std::out_of_range("--sentences: the test split has sentences 0 to " +
                                    std::to_string(count - 1) + ", got " + item);
        }
        numbers.push_back(index);
        if (comma == list.size()) return numbers;
        start = comma + 1;
    }
}

void run_attention(const CommandLine& cl) {
    // The output directory is made last, once everything else is known to be good: a
    // refusal leaves nothing behind.
    check_not_an_input(cl.out, "--out", {{"--checkpoint", cl.checkpoint}});
    const ParallelText text = read_parallel(cl.data, kTestSplit);
    const std::vector<std::size_t> numbers = sentence_numbers(cl.sentences, text.size());
    Translator translator = load_translator(cl.checkpoint);
    create_output_directory(cl.out, "--out");
    for (const std::size_t index : numbers) {
        const AttentionMaps maps = attention_maps(translator, text.src[index]);
        std::printf("test sentence %zu: %s\n  → ", index, text.src[index].c_str());
        for (std::size_t i = 1; i < maps.target_tokens.size(); ++i)
            std::printf("%s ", maps.target_tokens[i].c_str());
        std::printf("\n");
        const std::string stem = cl.out + "/ch11_attention_" + std::to_string(index);
        for (std::size_t l = 0; l < maps.encoder_self.size(); ++l) {
            for (std::size_t h = 0; h < maps.encoder_self[l].shape()[0]; ++h) {
                const std::string suffix =
                    "_l" + std::to_string(l) + "_h" + std::to_string(h) + ".dat";
                write_map(stem + "_enc" + suffix, xt::view(maps.encoder_self[l], h),
                          maps.source_tokens, maps.source_tokens);
                write_map(stem + "_dec" + suffix, xt::view(maps.decoder_self[l], h),
                          maps.target_tokens, maps.target_tokens);
                write_map(stem + "_src" + suffix, xt::view(maps.decoder_cross[l], h),
                          maps.target_tokens, maps.source_tokens);
            }
        }
    }
}

void run_bench(const CommandLine& cl) {
    check_not_an_input(cl.out, "--out", {{"--checkpoint", cl.checkpoint}});  // before the work
    const ParallelText text = read_parallel(cl.data, kTestSplit);
    Translator translator = load_translator(cl.checkpoint);
    create_output_directory(cl.out, "--out");  // last: a refusal leaves nothing behind
    std::vector<std::vector<std::int64_t>> sources;
    for (const std::string& s : text.src) sources.push_back(translator.codecs.src->encode(s));
    // The sources for the PyTorch side, padded into one [B, M] array with <s> and </s>.
    std::vector<std::size_t> all(sources.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    const xt::xtensor<std::int64_t, 2> src_BM = pad_sources(sources, all).src_BM;
    const std::size_t M = src_BM.shape()[1];
    save_npy(cl.out + "/sources.npy", src_BM);
    std::printf("%-28s %6s %12s %10s\n", "decoder", "batch", "tokens/s", "seconds");
    for (std::size_t batch : {std::size_t(1), std::size_t(64)}) {
        if (cl.bench_batch != 0 && batch != cl.bench_batch) continue;
        for (const auto& [key, name, beam, cache] :
             {std::tuple<const char*, const char*, std::size_t, bool>{
                  "recompute", "greedy, recomputing", 1, false},
              {"cache", "greedy, cache", 1, true},
              {"beam", "beam 4, cache", 4, true}}) {
            if (cl.bench_decoder != "all" && cl.bench_decoder != key) continue;
            DecodeOptions d;
            d.beam = beam;
            d.cache = cache;
            d.compact =
                cache;  // recomputing: chapter 10's way, finished sentences stay in the batch
            d.batch_sentences = batch;
            d.batch_tokens = 1 << 30;
            const auto start = std::chrono::steady_clock::now();
            const std::vector<Hypothesis> out = decode_sentences(translator.model, sources, d);
            const double seconds = seconds_since(start);
            std::size_t tokens = 0;
            for (const auto& h : out) tokens += h.tokens.size() + 1;  // </s> is a decoded token too
            std::printf("%-28s %6zu %12.1f %10.2f\n", name, batch, double(tokens) / seconds,
                        seconds);
            std::fflush(stdout);
            if (beam == 1 && cache) {
                xt::xtensor<std::int64_t, 2> ids =
                    xt::xtensor<std::int64_t, 2>::from_shape({out.size(), M + 50});
                ids.fill(-1);
                for (std::size_t i = 0; i < out.size(); ++i)
                    std::copy(out[i].tokens.begin(), out[i].tokens.end(), &ids(i, 0));
                save_npy(cl.out + "/greedy_cpp_b" + std::to_string(batch) + ".npy", ids);
            }
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    return run_program(
        argc, argv, "ch11_decoding", "Chapter 11 — decoding",
        [&](const ProgramOptions& options) {
            // Decoding is deterministic: no command here draws a random number.
            for (CLI::App* c :
                 {cl.translate_cmd, cl.bleu_cmd, cl.attention_cmd, cl.inspect_cmd, cl.bench_cmd})
                if (c->parsed()) refuse_seed(options, c->get_name());
            if (cl.translate_cmd->parsed()) return run_translate(cl);
            if (cl.bleu_cmd->parsed()) return run_bleu(cl);
            if (cl.attention_cmd->parsed()) return run_attention(cl);
            if (cl.inspect_cmd->parsed()) return run_inspect(cl);
            if (cl.bench_cmd->parsed()) return run_bench(cl);
            tour(options);
        },
        [&](CLI::App& app) {
            auto search_flags = [&](CLI::App* c) {
                c->add_option("--beam", cl.beam, "beam size (default 1: greedy)")
                    ->check(CLI::Range(1, 100));
                cl.alpha_flags.push_back(
                    c->add_option("--alpha", cl.alpha,
                                  "beam search's length penalty exponent (default 0.6)")
                        ->check(CLI::Range(0.0, 10.0)));
                c->add_flag("--no-cache", cl.no_cache,
                            "recompute every prefix instead of caching keys and values");
            };
            cl.translate_cmd =
                app.add_subcommand("translate", "translate plain sentences, one per line");
            cl.translate_cmd
                ->add_option("--checkpoint", cl.checkpoint, "a chapter 10 run or averaged model")
                ->required();
            cl.translate_cmd->add_option("--input", cl.input,
                                         "a text file (default: standard input)");
            search_flags(cl.translate_cmd);
            cl.bleu_cmd = app.add_subcommand("bleu", "translate a split of Multi30k and score it");
            cl.bleu_cmd
                ->add_option("--checkpoint", cl.checkpoint, "a chapter 10 run or averaged model")
                ->required();
            cl.bleu_cmd->add_option("--data", cl.data, "the Multi30k directory")->required();
            add_split_flag(*cl.bleu_cmd, cl.split);
            search_flags(cl.bleu_cmd);
            cl.attention_cmd =
                app.add_subcommand("attention", "write the attention maps of test sentences");
            cl.attention_cmd->add_option("--checkpoint", cl.checkpoint, "a chapter 10 run")
                ->required();
            cl.attention_cmd->add_option("--data", cl.data, "the Multi30k directory")->required();
            cl.attention_cmd->add_option("--out", cl.out, "where to write the maps")->required();
            cl.attention_cmd->add_option("--sentences", cl.sentences,
                                         "test sentence numbers (default 0,7)");
            cl.inspect_cmd = app.add_subcommand(
                "inspect",
                "each sentence's search, next-token probabilities and attention, as JSON");
            cl.inspect_cmd
                ->add_option("--checkpoint", cl.checkpoint, "a chapter 10 run or averaged model")
                ->required();
            cl.inspect_cmd->add_option("--input", cl.input,
                                       "a text file (default: standard input)");
            search_flags(cl.inspect_cmd);
            cl.bench_cmd = app.add_subcommand("bench", "decoding speed on the test split");
            cl.bench_cmd->add_option("--checkpoint", cl.checkpoint, "a chapter 10 run")->required();
            cl.bench_cmd->add_option("--data", cl.data, "the Multi30k directory")->required();
            cl.bench_cmd->add_option("--out", cl.out, "where to write the ids for the PyTorch side")
                ->required();
            cl.bench_cmd->add_option("--batch", cl.bench_batch, "only this batch size: 1 or 64")
                ->check(CLI::IsMember({1, 64}));
            cl.bench_cmd
                ->add_option("--decoder", cl.bench_decoder,
                             "only one decoder, for a profile: recompute, cache or beam")
                ->check(CLI::IsMember({"all", "recompute", "cache", "beam"}));
            app.require_subcommand(0, 1);
        });
}
