// Chapter 10 — translation: Multi30k German→English, trained on two cores, scored with BLEU.
//
//   ch10_translation [--data DIR] [--figures DIR]
//       the tour: the tokenizer, BLEU by hand, and a tiny model learning a made-up
//       language in seconds; with --data, the statistics of Multi30k
//   ch10_translation train --data DIR --out RUN [--epochs N] [--subword] [--exact]
//                          [--resume | --overwrite] ...
//       trains (about 50 minutes with the defaults on 2 cores), a checkpoint every epoch;
//       an existing run is continued only with --resume and replaced only with --overwrite
//   ch10_translation translate --checkpoint RUN [--input FILE]
//       one plain translation per input line (standard input by default)
//   ch10_translation bleu --checkpoint RUN --data DIR --split val|test [--output FILE]
//   ch10_translation bleu --hyp FILE --ref FILE
//       corpus BLEU as sacreBLEU computes it (13a, exp smoothing, cased)
//   ch10_translation average --checkpoint RUN --last K --out DIR [--float16]
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
#include "07_encoder_decoder/parameter_files.hpp"
#include "bleu.hpp"
#include "made_up_language.hpp"
#include "tokenizer.hpp"
#include "translation_program.hpp"
#include "translator.hpp"

using namespace tfm;

namespace {

struct CommandLine {
    std::string data, out, checkpoint, input, output, hyp, ref, split = "test";
    std::size_t last = 5, pairs = 1500;
    bool float16 = false;
    TrainingCommandLine train;
    CLI::App* train_cmd = nullptr;
    CLI::App* translate_cmd = nullptr;
    CLI::App* bleu_cmd = nullptr;
    CLI::App* average_cmd = nullptr;
    CLI::App* made_up_cmd = nullptr;
    CLI::Option* tour_data = nullptr;  ///< --data before any command: the tour's
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
    std::vector<std::string> names = {"ch10_default_run.dat", "ch10_subword_run.dat"};
    if (!measured_padding) names.push_back("ch10_padding.dat");
    copy_figure_data(TFM_CH10_RESULTS, figures, names);
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
    const std::vector<Evaluation> r = train_translation(o);
    Translator translator = load_translator(o.out_dir);
    const ParallelText test = read_parallel(scratch.path(), kTestSplit);
    const std::vector<std::string> hyps = translator.translate(test.src);
    //! [tiny run]
    std::printf("test BLEU after %zu epochs: %s\n", r.size(),
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
        for (const char* split : {"val", kTestSplit}) {
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

// The command given ("bleu"), or "" for the tour.
std::string command_given(const CommandLine& cl) {
    for (CLI::App* cmd :
         {cl.train_cmd, cl.translate_cmd, cl.bleu_cmd, cl.average_cmd, cl.made_up_cmd}) {
        if (cmd->parsed()) return cmd->get_name();
    }
    return "";
}

void run_train(const ProgramOptions& options, const CommandLine& cl) {
    train_translation(training_options(cl.train, options));
}

void run_translate(const CommandLine& cl) {
    const std::vector<std::string> lines = read_input_lines(cl.input, "--input");  // first
    Translator translator = load_translator(cl.checkpoint);
    for (const std::string& line : translator.translate(lines)) std::cout << line << "\n";
}

void run_bleu(const CommandLine& cl) {
    std::vector<std::string> hyps, refs;
    if (!cl.hyp.empty() || !cl.ref.empty()) {
        if (cl.hyp.empty() || cl.ref.empty())
            throw std::invalid_argument("bleu: --hyp and --ref go together");
        for (const char* flag : {"--checkpoint", "--data", "--split", "--output"}) {
            if (cl.bleu_cmd->get_option(flag)->count() > 0) {
                throw std::invalid_argument(std::string("bleu: ") + flag +
                                            " is for scoring a split's translations; --hyp and "
                                            "--ref score two files as they are: give one or "
                                            "the other");
            }
        }
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
        if (!cl.output.empty()) {  // before the work
            check_output_file(cl.output, "--output");
            // The split's two files, not the directory: a file of hypotheses may sit beside
            // them, but must not replace the reference it is scored against.
            const std::string split = cl.data + "/" + split_stem(cl.split);
            check_not_an_input(cl.output, "--output",
                               {{"--checkpoint", cl.checkpoint},
                                {"--data", split + ".de.gz"},
                                {"--data", split + ".en.gz"}});
        }
        const ParallelText text = read_parallel(cl.data, split_stem(cl.split));
        Translator translator = load_translator(cl.checkpoint);
        const auto start = std::chrono::steady_clock::now();
        hyps = translator.translate(text.src);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "translated %zu sentences in %.1f s (%.1f ms per sentence, greedy)\n",
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
    require_checkpoint_directory(cl.checkpoint);
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
    // The snapshots must fit the run's vocabularies, or the model written would not load.
    const std::string different =
        ModelConfig::fields().difference(mean.config(), base.model.config());
    if (!different.empty()) {
        throw CheckpointError("average: the snapshots of " + cl.checkpoint +
                              " hold another model than its model/ (" + different +
                              "); nothing was written");
    }
    save_translation_model(cl.out, mean, base.codecs, base.max_len,
                           cl.float16 ? DType::Float16 : DType::Float32);
    std::fprintf(stderr, "wrote the mean of %zu snapshots (%s ... %s) to %s%s\n", snapshots.size(),
                 std::filesystem::path(snapshots.front()).filename().c_str(),
                 std::filesystem::path(snapshots.back()).filename().c_str(), cl.out.c_str(),
                 cl.float16 ? " (float16)" : "");
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    return run_program(
        argc, argv, "ch10_translation", "Chapter 10 — translation",
        [&](const ProgramOptions& options) {
            // --data before a command is the tour's; a command that reads data has its own.
            const std::string command = command_given(cl);
            if (cl.tour_data->count() > 0 && !command.empty()) {
                throw std::invalid_argument("--data before " + command + " is the tour's, and " +
                                            command +
                                            (command == "bleu" || command == "train"
                                                 ? " takes its own: give it after " + command
                                                 : " reads none"));
            }
            if (cl.train_cmd->parsed()) return run_train(options, cl);
            for (CLI::App* c : {cl.translate_cmd, cl.bleu_cmd, cl.average_cmd})
                if (c->parsed()) refuse_seed(options, c->get_name());
            if (cl.translate_cmd->parsed()) return run_translate(cl);
            if (cl.bleu_cmd->parsed()) return run_bleu(cl);
            if (cl.average_cmd->parsed()) return run_average(cl);
            if (cl.made_up_cmd->parsed()) {
                create_output_directory(cl.out, "--out");
                Rng rng(options.seed + 7);
                write_made_up_corpus(cl.out, cl.pairs, cl.pairs / 10 + 1, cl.pairs / 10 + 1, rng);
                std::fprintf(stderr,
                             "wrote the made-up language's six files (%zu training pairs) to %s\n",
                             cl.pairs, cl.out.c_str());
                return;
            }
            tour(options, cl);
        },
        [&](CLI::App& app) {
            cl.tour_data = app.add_option(
                "--data", cl.data, "the Multi30k directory (for the tour: print its statistics)");
            cl.train_cmd = app.add_subcommand("train", "train a translator on Multi30k");
            add_training_flags(*cl.train_cmd, cl.train);
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
            add_split_flag(*cl.bleu_cmd, cl.split);
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
            cl.average_cmd->add_flag("--float16", cl.float16,
                                     "store the weights as float16: half the bytes, each weight "
                                     "rounded to about three significant digits");
            cl.made_up_cmd =
                app.add_subcommand("made-up", "write a made-up language pair in Multi30k's layout");
            cl.made_up_cmd->add_option("--out", cl.out, "the directory for the six files")
                ->required();
            cl.made_up_cmd->add_option("--pairs", cl.pairs, "training pairs (default 1500)")
                ->check(CLI::Range(10, 10000000));
            app.require_subcommand(0, 1);
        });
}
