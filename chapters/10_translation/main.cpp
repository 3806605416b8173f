// Chapter 10 — translation: Multi30k German→English, trained on two cores, scored with BLEU.
//
//   ch10_translation [--data DIR] [--figures DIR]
//       the tour: the tokenizer, BLEU by hand, and a tiny model learning a made-up
//       language in seconds; with --data, the statistics of Multi30k
//   ch10_translation train --data DIR --out RUN [--epochs N] [--subword] [--exact] [--resume] ...
//       trains (about 50 minutes with the defaults on 2 cores), a checkpoint every epoch
//   ch10_translation translate --checkpoint RUN [--input FILE]
//       one plain translation per input line (standard input by default)
//   ch10_translation bleu --checkpoint RUN --data DIR --split val|test [--output FILE]
//   ch10_translation bleu --hyp FILE --ref FILE
//       corpus BLEU as sacreBLEU computes it (13a, exp smoothing, cased)
//   ch10_translation average --checkpoint RUN --last K --out DIR
//       the mean of the last K epochs' weights, as a model that translates
//   ch10_translation made-up --out DIR [--pairs N]
//       the made-up language of the tour, as six files laid out like Multi30k's
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "00_tensors/figures.hpp"
#include "00_tensors/files.hpp"
#include "00_tensors/program.hpp"
#include "08_training/train.hpp"
#include "08_training/training_state.hpp"
#include "bleu.hpp"
#include "made_up_language.hpp"
#include "tokenizer.hpp"
#include "translation.hpp"

using namespace tfm;

namespace {

struct CommandLine {
    std::string data, out, checkpoint, input, output, hyp, ref, split = "test";
    std::size_t epochs = 18, last = 5, layers = 3, d_model = 256, d_ff = 512, heads = 8;
    float dropout = 0.1f;
    bool subword = false, exact = false, resume = false;
    TranslationOptions train;  // the remaining training flags
    CLI::App* train_cmd = nullptr;
    CLI::App* translate_cmd = nullptr;
    CLI::App* bleu_cmd = nullptr;
    CLI::App* average_cmd = nullptr;
    CLI::App* made_up_cmd = nullptr;
    std::size_t pairs = 1500;
};

void print_tokens(const std::string& line) {
    const auto tokens = tokenize(line);
    std::string joined;
    for (const auto& t : tokens) joined += (joined.empty() ? "" : " | ") + t;
    const std::string back = detokenize(tokens);
    std::printf("  %s\n    → %s\n    ← %s%s\n", line.c_str(), joined.c_str(), back.c_str(),
                back == line ? "   (round trip exact)" : "");
}

// ---- the tour ---------------------------------------------------------------------------------

// The numbers behind the chapter's figures: the measured runs, committed with the chapter
// (a run takes most of an hour), and, with --data, the padding shares measured now.
void write_figures(const std::string& figures, bool measured_padding) {
    const std::string results = TFM_CH10_RESULTS;
    for (const std::string name :
         {"ch10_padding.dat", "ch10_default_run.dat", "ch10_subword_run.dat"}) {
        if (name == "ch10_padding.dat" && measured_padding) continue;
        std::filesystem::copy_file(results + "/" + name, figures + "/" + name,
                                   std::filesystem::copy_options::overwrite_existing);
    }
}

void tour(const ProgramOptions& options, const CommandLine& cl) {
    if (!options.figures.empty() && cl.data.empty()) return write_figures(options.figures, false);
    std::printf("\nThe word tokenizer on lines like Multi30k's:\n");
    //! [tokenizer demo]
    for (const char* line :
         {"Ein Mann in einem blauen Hemd steht auf einer Leiter.",
          "Zwei Männer, z.B. Feuerwehrleute, tragen saftig-grüne Jacken.",
          "Das Schild sagt „Joe's Pizza“ und kostet 3,50 €.", "A man's dog doesn't like t-shirts.",
          "The U.S. team wins 2.52 seconds ahead: \"Go!\""}) {
        print_tokens(line);
    }
    //! [tokenizer demo]

    std::printf("\nBLEU by hand (sacreBLEU's settings: %s):\n", kBleuSignature);
    const std::string ref = "A man in a blue shirt is standing on a ladder.";
    for (const char* hyp : {"A man in a blue shirt is standing on a ladder.",
                            "A man in a blue shirt stands on a ladder.", "A man is on a ladder.",
                            "Two dogs play in the snow."}) {
        std::printf("  %-48s %s\n", hyp, corpus_bleu({hyp}, {ref}).report().c_str());
    }

    std::printf(
        "\nA made-up language: 3 to 8 words, translated word by word *in reverse order*:\n");
    Rng rng(options.seed + 7);
    const ParallelText sample = made_up_pairs(3, rng);
    for (std::size_t i = 0; i < sample.size(); ++i)
        std::printf("  %-28s → %s\n", sample.src[i].c_str(), sample.tgt[i].c_str());
    const ScratchDirectory scratch("ch10");
    write_made_up_corpus(scratch.path(), 1500, 100, 100, rng);
    //! [tiny run]
    TranslationOptions o = made_up_run_options(scratch.path(), scratch / "run", options.seed);
    o.bleu_sentences = 100;  // validation BLEU after every epoch
    const TranslationResult r = train_translation(o);
    Translator translator = load_translator(o.out_dir);
    const ParallelText test = read_parallel(scratch.path(), "test_2016_flickr");
    const std::vector<std::string> hyps = translator.translate(test.src);
    //! [tiny run]
    std::printf("test BLEU after %zu epochs: %s\n", r.val_bleu.size(),
                corpus_bleu(hyps, test.tgt).report().c_str());
    for (std::size_t i = 0; i < 3; ++i) {
        std::printf("  %-28s → %-36s (reference: %s)\n", test.src[i].c_str(), hyps[i].c_str(),
                    test.tgt[i].c_str());
    }
    if (!cl.data.empty()) {
        std::printf("\nMulti30k in %s:\n", cl.data.c_str());
        const ParallelText train = read_parallel(cl.data, "train");
        const Codecs codecs = build_codecs(train, false);
        std::size_t skipped = 0;
        const std::vector<Example> examples = make_examples(train, codecs, 1000, skipped);
        std::printf(
            "  %zu training pairs; vocabularies (min frequency 2): German %zu, English %zu "
            "tokens\n",
            train.size(), codecs.src->vocab_size(), codecs.tgt->vocab_size());
        for (const char* split : {"val", "test_2016_flickr"}) {
            const ParallelText t = read_parallel(cl.data, split);
            std::printf("  <unk> share in %s: German %.2f%%, English %.2f%%\n", split,
                        100 * unknown_rate(*codecs.src, t.src),
                        100 * unknown_rate(*codecs.tgt, t.tgt));
        }
        std::size_t exact = 0;
        for (const std::string& line : train.tgt) exact += detokenize(tokenize(line)) == line;
        for (const std::string& line : train.src) exact += detokenize(tokenize(line)) == line;
        std::printf("  detokenize(tokenize(line)) == line for %.2f%% of the training lines\n",
                    100.0 * double(exact) / double(2 * train.size()));
        //! [padding share]
        const PaddingStats fixed72 = fixed_batch_stats(examples, 32, 72);
        const PaddingStats fixed_max = fixed_batch_stats(examples, 32, 0);
        std::printf(
            "  real (non-pad) tokens: Annotated Transformer batches (32 padded to 72) %.1f%%, "
            "32 padded to their longest %.1f%%\n",
            100 * fixed72.real_share(), 100 * fixed_max.real_share());
        Tensor<2> share = xt::zeros<float>({std::size_t(6), std::size_t(4)});
        std::size_t row = 0;
        for (std::size_t budget : {500, 1000, 2000, 3000, 5000, 10000}) {
            Rng order(1);
            const PaddingStats ours =
                padding_stats(examples, plan_batches(examples, budget, order));
            std::printf("  token budget %5zu: %.1f%% real tokens\n", budget,
                        100 * ours.real_share());
            share(row, 0) = float(budget);
            share(row, 1) = float(100 * ours.real_share());
            share(row, 2) = float(100 * fixed72.real_share());
            share(row, 3) = float(100 * fixed_max.real_share());
            ++row;
        }
        //! [padding share]
        if (!options.figures.empty())
            write_matrix_data(options.figures + "/ch10_padding.dat", share);
    }
    if (!options.figures.empty()) write_figures(options.figures, !cl.data.empty());
    std::printf(
        "\nTrain on Multi30k (about 50 minutes on 2 cores):\n"
        "  ./build/chapters/10_translation/ch10_translation train --data data/multi30k --out "
        "runs/de-en\n");
}

// ---- subcommands ------------------------------------------------------------------------------

void run_train(const ProgramOptions& options, CommandLine& cl) {
    TranslationOptions o = cl.train;
    o.data_dir = cl.data;
    o.out_dir = cl.out;
    o.epochs = cl.epochs;
    o.subword = cl.subword;
    o.resume = cl.resume;
    o.seed = options.seed;
    o.model.N = cl.layers;
    o.model.d_model = cl.d_model;
    o.model.d_ff = cl.d_ff;
    o.model.h = cl.heads;
    o.model.dropout = cl.dropout;
    if (cl.exact) {  // the Annotated Transformer's make_model defaults
        o.model.N = 6;
        o.model.d_model = 512;
        o.model.d_ff = 2048;
        o.model.h = 8;
    }
    try {
        train_translation(o);
    } catch (const TrainingDiverged& e) {
        throw std::runtime_error(std::string(e.what()) + "; the last good epoch is intact in " +
                                 cl.out);
    }
}

std::vector<std::string> read_input(const std::string& path) {
    std::vector<std::string> lines;
    if (path.empty() || path == "-") {
        for (std::string line; std::getline(std::cin, line);) {
            if (find_invalid_utf8(line) != std::string::npos) {
                throw DataError("standard input:" + std::to_string(lines.size() + 1) +
                                ": invalid UTF-8");
            }
            lines.push_back(line);
        }
        return lines;
    }
    return read_lines(path, true);
}

void run_translate(const CommandLine& cl) {
    Translator translator = load_translator(cl.checkpoint);
    for (const std::string& line : translator.translate(read_input(cl.input)))
        std::cout << line << "\n";
}

void run_bleu(const CommandLine& cl) {
    std::vector<std::string> hyps, refs;
    if (!cl.hyp.empty() || !cl.ref.empty()) {
        if (cl.hyp.empty() || cl.ref.empty())
            throw std::invalid_argument("bleu: --hyp and --ref go together");
        hyps = read_lines(cl.hyp, true);
        refs = read_lines(cl.ref, true);
        if (hyps.size() != refs.size()) {
            throw DataError("bleu: " + cl.hyp + " has " + std::to_string(hyps.size()) +
                            " lines but " + cl.ref + " has " + std::to_string(refs.size()));
        }
    } else {
        if (cl.checkpoint.empty() || cl.data.empty()) {
            throw std::invalid_argument(
                "bleu: give --checkpoint RUN --data DIR, or --hyp FILE --ref FILE");
        }
        const std::string split = cl.split == "test" ? "test_2016_flickr" : cl.split;
        const ParallelText text = read_parallel(cl.data, split);
        Translator translator = load_translator(cl.checkpoint);
        const auto start = std::chrono::steady_clock::now();
        hyps = translator.translate(text.src);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::printf("translated %zu sentences in %.1f s (%.1f ms per sentence, greedy)\n",
                    hyps.size(), seconds, 1000 * seconds / double(hyps.size()));
        refs = text.tgt;
        if (!cl.output.empty()) {
            std::string text_out;
            for (const auto& h : hyps) text_out += h + "\n";
            write_file_atomically(cl.output, text_out);
        }
    }
    std::printf("%s\n%s\n", corpus_bleu(hyps, refs).report().c_str(), kBleuSignature);
}

void run_average(const CommandLine& cl) {
    std::vector<std::string> snapshots = run_snapshots(cl.checkpoint);
    if (snapshots.empty())
        throw std::invalid_argument("average: " + cl.checkpoint +
                                    " holds no snapshots/ to average");
    if (cl.last > snapshots.size()) {
        throw std::invalid_argument("average: --last " + std::to_string(cl.last) + " but " +
                                    cl.checkpoint + " keeps " + std::to_string(snapshots.size()) +
                                    " snapshots");
    }
    check_output_directory(cl.out, kTranslationModelKind, "--out");
    snapshots.erase(snapshots.begin(), snapshots.end() - std::ptrdiff_t(cl.last));
    Translator base = load_translator(cl.checkpoint);
    EncoderDecoder mean = average_checkpoints(snapshots);
    save_translation_model(cl.out, mean, base.codecs, base.max_len);
    std::printf("wrote the mean of %zu snapshots (%s ... %s) to %s\n", snapshots.size(),
                std::filesystem::path(snapshots.front()).filename().c_str(),
                std::filesystem::path(snapshots.back()).filename().c_str(), cl.out.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    return run_program(
        argc, argv, "ch10_translation", "Chapter 10 — translation",
        [&](const ProgramOptions& options) {
            if (cl.train_cmd->parsed()) return run_train(options, cl);
            if (cl.translate_cmd->parsed()) return run_translate(cl);
            if (cl.bleu_cmd->parsed()) return run_bleu(cl);
            if (cl.average_cmd->parsed()) return run_average(cl);
            if (cl.made_up_cmd->parsed()) {
                std::filesystem::create_directories(cl.out);
                Rng rng(options.seed + 7);
                write_made_up_corpus(cl.out, cl.pairs, cl.pairs / 10 + 1, cl.pairs / 10 + 1, rng);
                std::printf("wrote the made-up language's six files (%zu training pairs) to %s\n",
                            cl.pairs, cl.out.c_str());
                return;
            }
            tour(options, cl);
        },
        [&](CLI::App& app) {
            app.add_option("--data", cl.data,
                           "the Multi30k directory (for the tour: print its statistics)");
            cl.train_cmd = app.add_subcommand("train", "train a translator on Multi30k");
            auto& t = *cl.train_cmd;
            t.add_option("--data", cl.data, "the Multi30k directory")->required();
            t.add_option("--out", cl.out, "the run's directory (a checkpoint every epoch)")
                ->required();
            t.add_option("--epochs", cl.epochs, "epochs in all (default 18)")
                ->check(CLI::Range(1, 10000));
            t.add_flag("--subword", cl.subword,
                       "one shared SentencePiece vocabulary and tied embeddings");
            t.add_option("--subword-vocab", cl.train.subword_vocab, "pieces (default 8000)")
                ->check(CLI::Range(100, 100000));
            t.add_flag("--exact", cl.exact,
                       "the Annotated Transformer's model: N = 6, C = 512, F = 2048, h = 8");
            t.add_flag("--resume", cl.resume, "continue the run in --out with its saved settings");
            t.add_option("--layers", cl.layers, "N (default 3)")->check(CLI::Range(1, 64));
            t.add_option("--d-model", cl.d_model, "C (default 256)")->check(CLI::Range(2, 8192));
            t.add_option("--d-ff", cl.d_ff, "F (default 512)")->check(CLI::Range(1, 65536));
            t.add_option("--heads", cl.heads, "h (default 8)")->check(CLI::Range(1, 1024));
            t.add_option("--dropout", cl.dropout, "(default 0.1)")->check(CLI::Range(0.0, 0.9));
            t.add_option("--budget", cl.train.budget,
                         "padded tokens per batch and side (default 3000)")
                ->check(CLI::Range(16, 1 << 20));
            t.add_option("--accumulate", cl.train.accumulate,
                         "batches per optimiser step (default 1)")
                ->check(CLI::Range(1, 1024));
            t.add_option("--warmup", cl.train.warmup, "Noam warm-up steps (default 400)")
                ->check(CLI::Range(1, 1000000));
            t.add_option("--lr-factor", cl.train.lr_factor, "Noam factor (default 0.5)")
                ->check(CLI::Range(0.0, 100.0));
            t.add_option("--max-len", cl.train.max_len, "longest pair kept, in ids (default 64)")
                ->check(CLI::Range(3, 4096));
            t.add_option("--keep", cl.train.keep_snapshots,
                         "epochs of weights kept for averaging (default 5)")
                ->check(CLI::Range(0, 1000));
            t.add_option("--bleu-sentences", cl.train.bleu_sentences,
                         "validation sentences scored per epoch (default all)")
                ->check(CLI::Range(0, 1000000));
            cl.translate_cmd =
                app.add_subcommand("translate", "translate plain sentences, one per line");
            cl.translate_cmd
                ->add_option("--checkpoint", cl.checkpoint, "a training run or an averaged model")
                ->required();
            cl.translate_cmd->add_option("--input", cl.input,
                                         "a text file (default: standard input)");
            cl.bleu_cmd =
                app.add_subcommand("bleu", "translate a split and score it, or score two files");
            cl.bleu_cmd->add_option("--checkpoint", cl.checkpoint,
                                    "a training run or an averaged model");
            cl.bleu_cmd->add_option("--data", cl.data, "the Multi30k directory");
            cl.bleu_cmd
                ->add_option("--split", cl.split, "val or test (default test: test_2016_flickr)")
                ->check(CLI::IsMember({"val", "test"}));
            cl.bleu_cmd->add_option("--output", cl.output, "also write the translations here");
            cl.bleu_cmd->add_option("--hyp", cl.hyp, "translations, one per line");
            cl.bleu_cmd->add_option("--ref", cl.ref, "references, one per line");
            cl.average_cmd = app.add_subcommand("average", "average the last epochs' weights");
            cl.average_cmd->add_option("--checkpoint", cl.checkpoint, "the training run")
                ->required();
            cl.average_cmd->add_option("--last", cl.last, "how many epochs (default 5)")
                ->check(CLI::Range(1, 1000));
            cl.average_cmd->add_option("--out", cl.out, "the averaged model's directory")
                ->required();
            cl.made_up_cmd =
                app.add_subcommand("made-up", "write a made-up language pair in Multi30k's layout");
            cl.made_up_cmd->add_option("--out", cl.out, "the directory for the six files")
                ->required();
            cl.made_up_cmd->add_option("--pairs", cl.pairs, "training pairs (default 1500)")
                ->check(CLI::Range(10, 10000000));
            app.require_subcommand(0, 1);
        });
}
