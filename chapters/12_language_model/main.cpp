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
#include <filesystem>
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

struct CommandLine {
    std::string data = TFM_TINYSHAKESPEARE, out, checkpoint, prompt = "\n", multi30k;
    std::size_t tokens = 500, top_k = 0, finetune_iters = 1000;
    double temperature = 1.0;
    bool resume = false, overwrite = false, no_cache = false, float16 = false;
    GPTConfig model = shakespeare_config();
    LMOptions training;
    CLI::App* train_cmd = nullptr;
    CLI::App* sample_cmd = nullptr;
    CLI::App* finetune_cmd = nullptr;
    CLI::App* export_cmd = nullptr;
};

struct Shakespeare {
    CharVocabulary vocabulary;
    TextSplit split;
    std::string fingerprint;  ///< of the whole text
};

// The text, as ids of `vocabulary` (a resumed run's own) or of its own characters.
Shakespeare load_text(const std::string& path, const CharVocabulary* vocabulary = nullptr) {
    const std::string text = read_text(path);
    Shakespeare s{vocabulary ? *vocabulary : CharVocabulary::of_text(text), {}, {}};
    try {
        s.split = split_train_val(s.vocabulary.encode(text));
    } catch (const std::invalid_argument& e) {
        throw DataError("--data " + path + ": " + e.what() + " of the run");
    }
    Fingerprint f;
    f.add(text);
    s.fingerprint = f.hex();
    return s;
}

void print_sample(GPT& model, const CharVocabulary& vocabulary, const std::string& prompt,
                  std::size_t tokens, const SampleOptions& options, std::uint64_t seed) {
    Rng rng(seed);
    const std::vector<std::int64_t> out =
        generate(model, vocabulary.encode(prompt), tokens, options, rng);
    std::printf("%s%s\n", prompt.c_str(), vocabulary.decode(out).c_str());
}

// A prompt the vocabulary can spell: a character's name if it can, else a new line, else
// the first character it has.
std::string closing_prompt(const CharVocabulary& v) {
    for (const std::string prompt : {"ROMEO:\n", "\n"}) {
        bool spelt = true;
        for (char c : prompt) spelt = spelt && v.contains(c);
        if (spelt) return prompt;
    }
    return std::string(1, v.chars()[0]);
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
    const Shakespeare data = load_text(cl.data);
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
    std::printf(
        "\nThe full run (2000 iterations): ./build/chapters/12_language_model/ch12_language_model "
        "train --out runs/shakespeare\n");
}

//! [train run]
void run_train(const ProgramOptions& options, const CommandLine& cl) {
    LMOptions o = cl.training;
    o.seed = options.seed + 1337;
    if (o.decay_iters == 0) o.decay_iters = o.max_iters;  // the cosine ends with the run
    GPTConfig config = cl.model;
    std::optional<TrainingRun> run;
    std::optional<CharVocabulary> run_vocabulary;
    if (!cl.out.empty()) {
        // Checked before any work: --out is free, or holds the run to continue.
        run = TrainingRun::open(cl.out, kLanguageModelRunKind,
                                cl.resume      ? RunStart::Resume
                                : cl.overwrite ? RunStart::Overwrite
                                               : RunStart::New);
        if (run->resumed()) {
            // A resumed run keeps its model, its settings and its characters: the ids it
            // learned mean those characters and no others.
            const std::string source = run->layout().settings();
            try {
                config = GPTConfig::fields().from_json(
                    json_require(run->settings(), "model", source), source + ": model");
                config.validate();
                const std::size_t max_iters = o.max_iters, log_every = o.log_every;
                o = LMOptions::settings_fields().from_json(
                    json_require(run->settings(), "training", source), source + ": training", o);
                o.max_iters = max_iters;
                o.log_every = log_every;
            } catch (const JsonFieldError& e) {
                throw CheckpointError(e.what());
            } catch (const std::invalid_argument& e) {
                throw CheckpointError(source + ": " + e.what());
            }
            run_vocabulary = read_vocabulary(cl.out, config.vocab);
        }
    } else if (cl.resume || cl.overwrite) {
        throw std::invalid_argument("--resume and --overwrite need --out RUN");
    }
    const Shakespeare data = load_text(cl.data, run_vocabulary ? &*run_vocabulary : nullptr);
    if (run && run->resumed()) {
        const std::string saved =
            json_string(json_require(run->settings(), "data", "settings.json"), "fingerprint",
                        run->layout().settings() + ": data");
        if (saved != data.fingerprint) {
            throw DataError("--data " + cl.data +
                            ": not the text this run was trained on (fingerprint " +
                            data.fingerprint + ", the run's " + saved + ")");
        }
    }
    config.vocab = data.vocabulary.size();
    GPT model(config, options.seed);
    std::fprintf(stderr, "%zu parameters; %zu iterations of %zu windows of %zu characters\n",
                 count_scalars(model.parameters()), o.max_iters, o.batch_size, config.block_size);
    LMSaving saving;
    if (run) {
        saving.run = &*run;
        nlohmann::ordered_json settings;
        settings["model"] = GPTConfig::fields().to_json(config);
        settings["training"] = LMOptions::settings_fields().to_json(o);
        settings["data"] = {{"characters", data.split.train.size() + data.split.val.size()},
                            {"fingerprint", data.fingerprint}};
        saving.settings = settings;
        // The characters go with the weights, so that the run alone can sample.
        saving.more = [&data](const std::string& dir) {
            write_file_atomically(dir + "/vocabulary.txt", data.vocabulary.chars());
        };
    }
    const LMResult r = train_language_model(model, o, data.split.train, data.split.val, saving);
    std::fprintf(
        stderr, "training took %.1f s (%.0f tokens/s); final train loss %.4f, val loss %.4f\n",
        r.train_seconds, double(o.max_iters * o.batch_size * config.block_size) / r.train_seconds,
        r.evals.back().train_loss, r.evals.back().val_loss);
    if (!cl.out.empty()) {
        // The loss curve (iteration, training loss, validation loss), for the chapter's figure.
        Tensor<2> curves = xt::zeros<float>({r.evals.size(), std::size_t(3)});
        for (std::size_t i = 0; i < r.evals.size(); ++i) {
            curves(i, 0) = float(r.evals[i].step);
            curves(i, 1) = float(r.evals[i].train_loss);
            curves(i, 2) = float(r.evals[i].val_loss);
        }
        write_matrix_data(cl.out + "/ch12_pretrain.dat", curves);
    }
    SampleOptions s;
    s.temperature = 0.8;
    std::printf("\nA sample:\n\n");
    print_sample(model, data.vocabulary, closing_prompt(data.vocabulary), 500, s, options.seed);
}
//! [train run]

void run_sample(const ProgramOptions& options, const CommandLine& cl) {
    LanguageModel lm = load_language_model(cl.checkpoint);
    SampleOptions s;
    s.temperature = cl.temperature;
    s.top_k = cl.top_k;
    s.cache = !cl.no_cache;
    print_sample(lm.model, lm.vocabulary, cl.prompt, cl.tokens, s, options.seed);
}

void run_export(const CommandLine& cl) {
    LanguageModel lm = load_language_model(cl.checkpoint);
    check_output_directory(cl.out, kLanguageModelKind, "--out");
    save_language_model(cl.out, lm.model, lm.vocabulary,
                        cl.float16 ? DType::Float16 : DType::Float32);
    std::fprintf(stderr, "wrote the language model of %s to %s%s\n", cl.checkpoint.c_str(),
                 cl.out.c_str(), cl.float16 ? " (float16)" : "");
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
    for (const std::string& line : read_lines(dir + "/" + split + ".en.gz")) text += line + "\n";
    std::size_t replaced = 0;
    const std::string mapped = map_into_vocabulary(text, v, kCaptionStandIns, replaced);
    std::fprintf(stderr, "Multi30k English %s: %zu characters, %zu replaced by stand-ins\n",
                 split.c_str(), text.size(), replaced);
    return v.encode(mapped);
}

void run_finetune(const ProgramOptions& options, const CommandLine& cl) {
    LanguageModel lm = load_language_model(cl.checkpoint);
    GPT& pretrained = lm.model;
    const CharVocabulary& vocabulary = lm.vocabulary;
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
    print_sample(pretrained, vocabulary, "A man ", 120, s, options.seed);
    std::printf("from scratch: ");
    print_sample(scratch, vocabulary, "A man ", 120, s, options.seed);
    if (!cl.out.empty()) {
        std::filesystem::create_directories(cl.out);
        Tensor<2> curves = xt::zeros<float>({tuned.evals.size(), std::size_t(3)});
        for (std::size_t i = 0; i < tuned.evals.size(); ++i) {
            curves(i, 0) = float(tuned.evals[i].step);
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
            if (cl.export_cmd->parsed()) return run_export(cl);
            tour(options, cl);
        },
        [&](CLI::App& app) {
            cl.train_cmd = app.add_subcommand("train", "pre-train on Tiny Shakespeare");
            CLI::App& t = *cl.train_cmd;
            t.add_option("--data", cl.data,
                         "the text (gzip or plain; default: the committed Tiny Shakespeare)");
            t.add_option("--out", cl.out, "save the run here at every evaluation");
            add_flags(t, GPTConfig::fields(), cl.model);
            cl.training.decay_iters = 0;  // 0: as long as the run (--max-iters)
            add_flags(t, LMOptions::settings_fields(), cl.training);
            add_flags(t, LMOptions::length_fields(), cl.training);
            CLI::Option* resume =
                t.add_flag("--resume", cl.resume, "continue the run in --out with its settings");
            t.add_flag("--overwrite", cl.overwrite,
                       "replace the run in --out (it is kept until the first save)")
                ->excludes(resume);
            cl.sample_cmd = app.add_subcommand("sample", "generate text from a trained model");
            cl.sample_cmd
                ->add_option("--checkpoint", cl.checkpoint,
                             "a training run or a language model (model/ and vocabulary.txt)")
                ->required();
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
            cl.finetune_cmd->add_option("--checkpoint", cl.checkpoint, "the pre-trained model")
                ->required();
            cl.finetune_cmd->add_option("--data", cl.multi30k, "the Multi30k directory")
                ->required();
            cl.finetune_cmd
                ->add_option("--iters", cl.finetune_iters, "iterations for each (default 1000)")
                ->check(CLI::Range(20, 10000000));
            cl.finetune_cmd->add_option("--out", cl.out, "write the validation curves here");
            cl.export_cmd = app.add_subcommand(
                "export", "write a run's model and characters as a language model directory");
            cl.export_cmd->add_option("--checkpoint", cl.checkpoint, "the training run")
                ->required();
            cl.export_cmd->add_option("--out", cl.out, "the language model's directory")
                ->required();
            cl.export_cmd->add_flag("--float16", cl.float16,
                                    "store the weights as float16: half the bytes");
            app.require_subcommand(0, 1);
        });
}
