// Chapter 12 — a decoder-only language model: pre-training on Shakespeare, sampling,
// fine-tuning.
//
//   ch12_language_model [--figures DIR]
//       the tour: a short pre-training run on Tiny Shakespeare, then a sample
//   ch12_language_model train [--data FILE] [--out RUN [--resume | --overwrite]]
//                       [--max-iters N] [--eval-interval N] [model and training flags]
//       nanoGPT's CPU configuration (4 layers, 4 heads, C = 128, context 64, batch 12, 2000
//       iterations); prints the losses, the time and a sample
//   ch12_language_model sample --checkpoint DIR [--prompt TEXT] [--tokens N]
//                       [--temperature T] [--top-k K]
//       text from a trained model (a run, or a language model such as
//       data/pretrained/shakespeare), continuing a prompt
//   ch12_language_model export --checkpoint RUN --out DIR [--float16]
//       the run's model and characters alone, as a language model that samples
//   ch12_language_model finetune --checkpoint RUN --data MULTI30K [--iters N] [--out DIR]
//       fine-tunes the pre-trained model on English captions, next to the same model
//       trained from scratch for the same iterations
#include <cstdio>
#include <map>
#include <optional>
#include <string>

#include "00_tensors/figures.hpp"
#include "00_tensors/files.hpp"
#include "00_tensors/program.hpp"
#include "00_tensors/text_files.hpp"
#include "07_encoder_decoder/config_flags.hpp"
#include "07_encoder_decoder/parameter_files.hpp"
#include "char_text.hpp"
#include "lm_program.hpp"
#include "lm_training.hpp"
#include "sampling.hpp"

using namespace tfm;

namespace {

// nanoGPT's CPU configuration for Tiny Shakespeare (the vocabulary comes from the text).
GPTConfig shakespeare_config() {
    GPTConfig c;
    c.block_size = 64;
    c.n_layer = 4;
    c.n_head = 4;
    c.n_embd = 128;
    c.dropout = 0.0f;
    c.bias = false;
    return c;
}

// The train and sample commands are lm_program.hpp's (shared with chapter 14); finetune
// and export are this chapter's own.
struct CommandLine {
    LMCommandLine lm;
    std::string multi30k;
    std::size_t finetune_iters = 1000;
    bool float16 = false;
    GPTConfig model = shakespeare_config();
    CLI::App* finetune_cmd = nullptr;
    CLI::App* export_cmd = nullptr;
};

void tour(const ProgramOptions& options, const CommandLine& cl) {
    if (!options.figures.empty()) {
        // The measured runs' numbers, committed with the chapter.
        copy_figure_data(TFM_CH12_RESULTS, options.figures);
        return;
    }
    //! [tour run]
    const CharText data = load_char_text(cl.lm.data);
    std::printf(
        "\nTiny Shakespeare: %zu characters for training, %zu for validation, a vocabulary of "
        "%zu\n",
        data.split.train.size(), data.split.val.size(), data.vocabulary.size());
    GPTConfig config = shakespeare_config();
    config.vocab = data.vocabulary.size();
    GPT model(config, options.seed);
    std::printf("the model: 4 blocks, 4 heads, C = 128, context 64: %zu parameters\n\n",
                count_scalars(model.parameters()));
    LMOptions o;
    o.max_iters = 400;  // a fifth of nanoGPT's run: about half a minute here
    o.decay_iters = 400;
    o.eval_interval = 200;
    o.seed = options.seed + 1337;
    train_language_model(model, o, data.split.train, data.split.val);
    //! [tour run]
    SampleOptions s;
    s.temperature = 0.8;
    s.top_k = 20;
    std::printf("\nA sample (temperature 0.8, top-k 20):\n\n");
    print_sample(model, data.vocabulary, closing_prompt(data.vocabulary), 300, s, options.seed);
    //! [shipped model]
    // The model the book ships: the full run of 2000 iterations, trained by `train`.
    const std::string shipped = std::string(TFM_PRETRAINED) + "/shakespeare";
    LanguageModel trained = load_language_model(shipped);
    std::printf("\nThe same model after the full run (%s), the same sampling:\n\n",
                shipped.c_str());
    print_sample(trained.model, trained.vocabulary, "ROMEO:\n", 300, s, options.seed);
    //! [shipped model]
    std::printf(
        "\nThe full run (2000 iterations): ./build/chapters/12_language_model/ch12_language_model "
        "train --out runs/shakespeare\n");
}

void run_export(const CommandLine& cl) {
    LanguageModel lm = load_language_model(cl.lm.checkpoint);
    check_output_directory(cl.lm.out, kLanguageModelKind, "--out");
    save_language_model(cl.lm.out, lm.model, lm.vocabulary,
                        cl.float16 ? DType::Float16 : DType::Float32);
    std::fprintf(stderr, "wrote the language model of %s to %s%s\n", cl.lm.checkpoint.c_str(),
                 cl.lm.out.c_str(), cl.float16 ? " (float16)" : "");
}

//! [map characters]
// English captions use a few characters Shakespeare's text does not: each gets a stand-in
// from the vocabulary (734 of the 1.8 million characters of Multi30k's English training
// split).
const std::map<char, char> kCaptionStandIns = {{'"', '\''}, {'`', '\''}, {'(', ','}, {')', ','},
                                               {'#', '-'},  {'%', '-'},  {'=', '-'}, {'0', '3'},
                                               {'1', '3'},  {'2', '3'},  {'4', '3'}, {'5', '3'},
                                               {'6', '3'},  {'7', '3'},  {'8', '3'}, {'9', '3'}};
//! [map characters]

std::vector<std::int64_t> caption_ids(const std::string& dir, const std::string& split,
                                      const CharVocabulary& v) {
    const std::string path = dir + "/" + split + ".en.gz";
    std::string text;
    for (const std::string& line : read_lines(path)) text += line + "\n";
    std::size_t replaced = 0;
    const std::string mapped = map_into_vocabulary(text, v, kCaptionStandIns, replaced, path);
    std::fprintf(stderr, "Multi30k English %s: %zu characters, %zu replaced by stand-ins\n",
                 split.c_str(), text.size(), replaced);
    return v.encode(mapped);
}

void run_finetune(const ProgramOptions& options, const CommandLine& cl) {
    // Everything that could fail after the two runs is settled before them: where the
    // curves go, and a prompt the model can spell (a caption's opening, unless the model
    // was pre-trained on a text without those characters).
    if (!cl.lm.out.empty()) create_output_directory(cl.lm.out, "--out");
    LanguageModel lm = load_language_model(cl.lm.checkpoint);
    GPT& pretrained = lm.model;
    const CharVocabulary& vocabulary = lm.vocabulary;
    const std::string prompt = closing_prompt(vocabulary, "A man ");
    const std::vector<std::int64_t> train = caption_ids(cl.multi30k, "train", vocabulary);
    const std::vector<std::int64_t> val = caption_ids(cl.multi30k, "val", vocabulary);
    //! [finetune]
    // The same optimiser, schedule and batches for both; only the starting weights differ.
    LMOptions o;
    o.max_iters = cl.finetune_iters;
    o.decay_iters = cl.finetune_iters;
    o.warmup = cl.finetune_iters / 20;
    o.eval_interval = std::max<std::size_t>(1, cl.finetune_iters / 20);
    o.seed = options.seed + 4242;
    std::fprintf(stderr, "\nFine-tuning the Shakespeare model on captions:\n");
    const LMResult tuned = train_language_model(pretrained, o, train, val);
    std::fprintf(stderr, "\nThe same model from scratch, the same iterations:\n");
    GPT scratch(pretrained.config(), options.seed + 1);
    const LMResult fresh = train_language_model(scratch, o, train, val);
    //! [finetune]
    std::printf(
        "\nvalidation loss after %zu iterations: fine-tuned %.4f, from scratch %.4f (gap %.4f)\n",
        o.max_iters, tuned.evals.back().val_loss, fresh.evals.back().val_loss,
        fresh.evals.back().val_loss - tuned.evals.back().val_loss);
    SampleOptions s;
    s.temperature = 0.8;
    std::printf("\nfine-tuned:   ");
    print_sample(pretrained, vocabulary, prompt, 120, s, options.seed);
    std::printf("from scratch: ");
    print_sample(scratch, vocabulary, prompt, 120, s, options.seed);
    if (!cl.lm.out.empty()) {
        Tensor<2> curves = xt::zeros<float>({tuned.evals.size(), std::size_t(3)});
        for (std::size_t i = 0; i < tuned.evals.size(); ++i) {
            curves(i, 0) = float(tuned.evals[i].step);
            curves(i, 1) = float(tuned.evals[i].val_loss);
            curves(i, 2) = float(fresh.evals[i].val_loss);
        }
        write_matrix_data(cl.lm.out + "/ch12_finetune.dat", curves);
    }
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    return run_program(
        argc, argv, "ch12_language_model", "Chapter 12 — a decoder-only language model",
        [&](const ProgramOptions& options) {
            if (cl.lm.train_cmd->parsed()) {
                run_train_command<GPT>(cl.lm, cl.model, kLanguageModelRunKind, options);
                return;
            }
            if (cl.lm.sample_cmd->parsed()) {
                LanguageModel lm = load_language_model(cl.lm.checkpoint);
                return run_sample_command(lm.model, lm.vocabulary, cl.lm, options.seed);
            }
            if (cl.finetune_cmd->parsed()) return run_finetune(options, cl);
            if (cl.export_cmd->parsed()) {
                refuse_seed(options, "export");
                return run_export(cl);
            }
            tour(options, cl);
        },
        [&](CLI::App& app) {
            add_lm_commands(app, cl.lm, TFM_TINYSHAKESPEARE);
            add_flags(*cl.lm.train_cmd, GPTConfig::fields(), cl.model);
            cl.finetune_cmd = app.add_subcommand(
                "finetune", "fine-tune on English captions, against training from scratch");
            cl.finetune_cmd->add_option("--checkpoint", cl.lm.checkpoint, "the pre-trained model")
                ->required();
            cl.finetune_cmd->add_option("--data", cl.multi30k, "the Multi30k directory")
                ->required();
            cl.finetune_cmd
                ->add_option("--iters", cl.finetune_iters, "iterations for each (default 1000)")
                ->check(CLI::Range(20, 10000000));
            cl.finetune_cmd->add_option("--out", cl.lm.out, "write the validation curves here");
            cl.export_cmd = app.add_subcommand(
                "export", "write a run's model and characters as a language model directory");
            cl.export_cmd->add_option("--checkpoint", cl.lm.checkpoint, "the training run")
                ->required();
            cl.export_cmd->add_option("--out", cl.lm.out, "the language model's directory")
                ->required();
            cl.export_cmd->add_flag("--float16", cl.float16,
                                    "store the weights as float16: half the bytes");
            app.require_subcommand(0, 1);
        });
}
