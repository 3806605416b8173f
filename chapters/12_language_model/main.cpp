// Chapter 12 — a decoder-only language model: pre-training on Shakespeare, sampling,
// fine-tuning.
//
//   ch12_language_model [--figures DIR]
//       the tour: a short pre-training run on Tiny Shakespeare, then a sample
//   ch12_language_model train [--data FILE] [--out RUN] [--max-iters N] [--resume]
//                       [--eval-interval N]
//       nanoGPT's CPU configuration (4 layers, 4 heads, C = 128, context 64, batch 12, 2000
//       iterations); prints the losses, the time and a sample
//   ch12_language_model sample --checkpoint RUN [--prompt TEXT] [--tokens N]
//                       [--temperature T] [--top-k K]
//       text from a trained model, continuing a prompt
//   ch12_language_model finetune --checkpoint RUN --data MULTI30K [--iters N] [--out DIR]
//       fine-tunes the pre-trained model on English captions, next to the same model
//       trained from scratch for the same iterations
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "00_tensors/figures.hpp"
#include "00_tensors/files.hpp"
#include "00_tensors/program.hpp"
#include "10_translation/corpus.hpp"
#include "char_text.hpp"
#include "lm_training.hpp"
#include "sampling.hpp"

using namespace tfm;

namespace {

struct CommandLine {
    std::string data = TFM_TINYSHAKESPEARE, out, checkpoint, prompt = "\n", multi30k;
    std::size_t max_iters = 2000, eval_interval = 250, tokens = 500, top_k = 0,
                finetune_iters = 1000;
    double temperature = 1.0;
    bool resume = false, no_cache = false;
    CLI::App* train_cmd = nullptr;
    CLI::App* sample_cmd = nullptr;
    CLI::App* finetune_cmd = nullptr;
};

// nanoGPT's CPU configuration for Tiny Shakespeare.
GPTConfig shakespeare_config(std::size_t vocab) {
    GPTConfig c;
    c.vocab = vocab;
    c.block_size = 64;
    c.n_layer = 4;
    c.n_head = 4;
    c.n_embd = 128;
    c.dropout = 0.0f;
    c.bias = false;
    return c;
}

struct Shakespeare {
    CharVocabulary vocabulary;
    TextSplit split;
};

Shakespeare load_shakespeare(const std::string& path) {
    const std::string text = read_text(path);
    Shakespeare s{CharVocabulary::of_text(text), {}};
    s.split = split_train_val(s.vocabulary.encode(text));
    return s;
}

void print_sample(GPT& model, const CharVocabulary& vocabulary, const std::string& prompt,
                  std::size_t tokens, const SampleOptions& options, std::uint64_t seed) {
    Rng rng(seed);
    const std::vector<std::int64_t> out =
        generate(model, vocabulary.encode(prompt), tokens, options, rng);
    std::printf("%s%s\n", prompt.c_str(), vocabulary.decode(out).c_str());
}

// The vocabulary of a run: its characters, saved in the run with every checkpoint.
void save_vocabulary(const std::string& dir, const CharVocabulary& v) {
    write_file_atomically(dir + "/vocabulary.txt", v.chars());
}
CharVocabulary load_vocabulary(const std::string& dir) {
    return CharVocabulary::from_chars(read_file(dir + "/vocabulary.txt", 4096),
                                      dir + "/vocabulary.txt");
}

void tour(const ProgramOptions& options, const CommandLine& cl) {
    if (!options.figures.empty()) {
        // The measured runs' numbers, committed with the chapter.
        for (const auto& e : std::filesystem::directory_iterator(TFM_CH12_RESULTS)) {
            std::filesystem::copy_file(e.path(),
                                       options.figures + "/" + e.path().filename().string(),
                                       std::filesystem::copy_options::overwrite_existing);
        }
        return;
    }
    //! [tour run]
    const Shakespeare data = load_shakespeare(cl.data);
    std::printf(
        "\nTiny Shakespeare: %zu characters for training, %zu for validation, a vocabulary of "
        "%zu\n",
        data.split.train.size(), data.split.val.size(), data.vocabulary.size());
    GPT model(shakespeare_config(data.vocabulary.size()), options.seed);
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
    print_sample(model, data.vocabulary, "ROMEO:\n", 300, s, options.seed);
    std::printf(
        "\nThe full run (2000 iterations): ./build/chapters/12_language_model/ch12_language_model "
        "train --out runs/shakespeare\n");
}

void run_train(const ProgramOptions& options, const CommandLine& cl) {
    const Shakespeare data = load_shakespeare(cl.data);
    GPT model(shakespeare_config(data.vocabulary.size()), options.seed);
    LMOptions o;
    o.max_iters = cl.max_iters;
    o.decay_iters = cl.max_iters;
    o.eval_interval = cl.eval_interval;
    o.seed = options.seed + 1337;
    o.out_dir = cl.out;
    o.resume = cl.resume;
    // The characters go with the weights, so that the run alone can sample.
    o.save_more = [&data](const std::string& dir) { save_vocabulary(dir, data.vocabulary); };
    std::printf("%zu parameters; %zu iterations of %zu windows of %zu characters\n",
                count_scalars(model.parameters()), o.max_iters, o.batch_size,
                model.config().block_size);
    const LMResult r = train_language_model(model, o, data.split.train, data.split.val);
    std::printf("training took %.1f s (%.0f tokens/s); final train loss %.4f, val loss %.4f\n",
                r.train_seconds,
                double(o.max_iters * o.batch_size * model.config().block_size) / r.train_seconds,
                r.evals.back().train_loss, r.evals.back().val_loss);
    if (!cl.out.empty()) {
        // The loss curve (iteration, training loss, validation loss), for the chapter's figure.
        Tensor<2> curves = xt::zeros<float>({r.evals.size(), std::size_t(3)});
        for (std::size_t i = 0; i < r.evals.size(); ++i) {
            curves(i, 0) = float(r.evals[i].iter);
            curves(i, 1) = float(r.evals[i].train_loss);
            curves(i, 2) = float(r.evals[i].val_loss);
        }
        write_matrix_data(cl.out + "/ch12_pretrain.dat", curves);
    }
    SampleOptions s;
    s.temperature = 0.8;
    std::printf("\nA sample:\n\n");
    print_sample(model, data.vocabulary, "ROMEO:\n", 500, s, options.seed);
}

GPT load_run_model(const std::string& dir) {
    return load_gpt(dir + "/model");
}

void run_sample(const ProgramOptions& options, const CommandLine& cl) {
    GPT model = load_run_model(cl.checkpoint);
    const CharVocabulary vocabulary = load_vocabulary(cl.checkpoint);
    SampleOptions s;
    s.temperature = cl.temperature;
    s.top_k = cl.top_k;
    s.cache = !cl.no_cache;
    print_sample(model, vocabulary, cl.prompt, cl.tokens, s, options.seed);
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
    std::string text;
    for (const std::string& line : read_parallel(dir, split).tgt) text += line + "\n";
    std::size_t replaced = 0;
    const std::string mapped = map_into_vocabulary(text, v, kCaptionStandIns, replaced);
    std::printf("Multi30k English %s: %zu characters, %zu replaced by stand-ins\n", split.c_str(),
                text.size(), replaced);
    return v.encode(mapped);
}

void run_finetune(const ProgramOptions& options, const CommandLine& cl) {
    GPT pretrained = load_run_model(cl.checkpoint);
    const CharVocabulary vocabulary = load_vocabulary(cl.checkpoint);
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
    std::printf("\nFine-tuning the Shakespeare model on captions:\n");
    const LMResult tuned = train_language_model(pretrained, o, train, val);
    std::printf("\nThe same model from scratch, the same iterations:\n");
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
    print_sample(pretrained, vocabulary, "A man ", 120, s, options.seed);
    std::printf("from scratch: ");
    print_sample(scratch, vocabulary, "A man ", 120, s, options.seed);
    if (!cl.out.empty()) {
        std::filesystem::create_directories(cl.out);
        Tensor<2> curves = xt::zeros<float>({tuned.evals.size(), std::size_t(3)});
        for (std::size_t i = 0; i < tuned.evals.size(); ++i) {
            curves(i, 0) = float(tuned.evals[i].iter);
            curves(i, 1) = float(tuned.evals[i].val_loss);
            curves(i, 2) = float(fresh.evals[i].val_loss);
        }
        write_matrix_data(cl.out + "/ch12_finetune.dat", curves);
    }
}

}  // namespace

int main(int argc, char** argv) {
    CommandLine cl;
    return run_program(
        argc, argv, "ch12_language_model", "Chapter 12 — a decoder-only language model",
        [&](const ProgramOptions& options) {
            if (cl.train_cmd->parsed()) return run_train(options, cl);
            if (cl.sample_cmd->parsed()) return run_sample(options, cl);
            if (cl.finetune_cmd->parsed()) return run_finetune(options, cl);
            tour(options, cl);
        },
        [&](CLI::App& app) {
            cl.train_cmd = app.add_subcommand("train", "pre-train on Tiny Shakespeare");
            cl.train_cmd->add_option(
                "--data", cl.data,
                "the text (gzip or plain; default: the committed Tiny Shakespeare)");
            cl.train_cmd->add_option("--out", cl.out, "save the run here at every evaluation");
            cl.train_cmd->add_option("--max-iters", cl.max_iters, "iterations (default 2000)")
                ->check(CLI::Range(1, 10000000));
            cl.train_cmd
                ->add_option("--eval-interval", cl.eval_interval,
                             "iterations between evaluations (default 250)")
                ->check(CLI::Range(1, 10000000));
            cl.train_cmd->add_flag("--resume", cl.resume, "continue the run in --out");
            cl.sample_cmd = app.add_subcommand("sample", "generate text from a trained model");
            cl.sample_cmd->add_option("--checkpoint", cl.checkpoint, "a training run")->required();
            cl.sample_cmd->add_option("--prompt", cl.prompt,
                                      "the text to continue (default: a newline)");
            cl.sample_cmd->add_option("--tokens", cl.tokens, "characters to generate (default 500)")
                ->check(CLI::Range(1, 1000000));
            cl.sample_cmd->add_option("--temperature", cl.temperature, "(default 1; 0 is greedy)")
                ->check(CLI::Range(0.0, 100.0));
            cl.sample_cmd->add_option("--top-k", cl.top_k,
                                      "draw only from the k most likely (default 0: all)");
            cl.sample_cmd->add_flag("--no-cache", cl.no_cache,
                                    "recompute the context at every step");
            cl.finetune_cmd = app.add_subcommand(
                "finetune", "fine-tune on English captions, against training from scratch");
            cl.finetune_cmd->add_option("--checkpoint", cl.checkpoint, "the pre-trained run")
                ->required();
            cl.finetune_cmd->add_option("--data", cl.multi30k, "the Multi30k directory")
                ->required();
            cl.finetune_cmd
                ->add_option("--iters", cl.finetune_iters, "iterations for each (default 1000)")
                ->check(CLI::Range(20, 10000000));
            cl.finetune_cmd->add_option("--out", cl.out, "write the validation curves here");
            app.require_subcommand(0, 1);
        });
}
