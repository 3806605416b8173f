// lm_program.hpp — the language-model program's commands, shared by chapters 12 and 14.
//
// Two programs train and sample character-level language models on Tiny Shakespeare:
// ch12_language_model (the GPT) and ch14_modern_decoder (the modern decoder). Their
// `train` and `sample` commands are the same commands on another model, so they live
// here once: the flags, reading the text, opening a training run (new, --resume or
// --overwrite, chapter 08), restoring a resumed run's settings, model and characters,
// training with a save at every evaluation, and a sample at the end. Only what depends
// on the model's type — its configuration's field table and its constructor — comes in
// through the template run_train_command.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "00_tensors/program.hpp"
#include "07_encoder_decoder/config_fields.hpp"
#include "07_encoder_decoder/config_flags.hpp"
#include "07_encoder_decoder/parameter_files.hpp"
#include "08_training/training_run.hpp"
#include "char_text.hpp"
#include "lm_training.hpp"
#include "next_token_model.hpp"
#include "sampling.hpp"

namespace tfm {

/// A text as ids: its vocabulary, the 90/10 split and the text's fingerprint.
struct CharText {
    CharVocabulary vocabulary;
    TextSplit split;
    std::string fingerprint;  ///< of the whole text
};

/// Reads the text at `path` (gzip or plain) as ids of `vocabulary` (a resumed run's own)
/// or, without one, of its own characters.
CharText load_char_text(const std::string& path, const CharVocabulary* vocabulary = nullptr);

/// Prints `prompt` and `tokens` characters drawn after it (a generator seeded with `seed`).
void print_sample(NextTokenModel& model, const CharVocabulary& vocabulary,
                  const std::string& prompt, std::size_t tokens, const SampleOptions& options,
                  std::uint64_t seed);

/// A prompt the vocabulary can spell: `wanted` (a character's name) if it can, else a new
/// line, else the first character it has.
std::string closing_prompt(const CharVocabulary& vocabulary,
                           const std::string& wanted = "ROMEO:\n");

/// What the flags of `train` and `sample` fill in.
struct LMCommandLine {
    std::string data, out, checkpoint, prompt = "\n";
    std::size_t tokens = 500, top_k = 0;
    double temperature = 1.0;
    bool resume = false, overwrite = false, no_cache = false;
    LMOptions training;
    CLI::App* train_cmd = nullptr;
    CLI::App* sample_cmd = nullptr;
};

/// Adds the `train` command (--data, defaulting to `default_data`; --out; the training
/// run's settings and length; --resume or --overwrite) and the `sample` command
/// (--checkpoint, --prompt, --tokens, --temperature, --top-k, --no-cache) to `app`. The
/// caller adds the model's own flags to cl.train_cmd.
void add_lm_commands(CLI::App& app, LMCommandLine& cl, const std::string& default_data);

/// A training run being started: its directory (with --out), its settings, its text.
struct LMTrainingStart {
    std::optional<TrainingRun> run;
    LMOptions options;
    CharText text;
    std::uint64_t seed = 0;  ///< the program's --seed the run was started with
    bool resumed() const { return run && run->resumed(); }
    /// A resumed run that has already trained --max-iters iterations.
    bool finished() const {
        return resumed() && run->evaluations().back().step >= options.max_iters;
    }
};

/// Opens --out as a run of `kind` (checked before any work: free, or holding the run to
/// continue) and settles the settings: the flags', or a resumed run's own (a flag that
/// would change them is refused; its length is its own unless a flag changes it). The seed
/// is the program's --seed, which a resumed run refuses too if it is another.
LMTrainingStart open_lm_run(const LMCommandLine& cl, const std::string& kind,
                            const ProgramOptions& program);

/// Says that a finished run has nothing left to train, and returns its evaluations.
LMResult report_finished(const LMTrainingStart& start);

/// Reads --data: a resumed run keeps its characters (its vocabulary.txt, which must hold
/// `saved_vocab` of them) and must be given the very text it was trained on.
void load_lm_text(LMTrainingStart& start, const LMCommandLine& cl, std::size_t saved_vocab);

/// Trains `model` as `train` does: a save at every evaluation (with `model_settings` as
/// settings.json's "model" and the characters beside the weights), the time and the
/// losses on standard error, and a sample. The run's state.json keeps the losses, its one
/// copy of them; scripts/run_curves.py writes them out as a table to draw.
LMResult train_and_report(NextTokenModel& model, const nlohmann::ordered_json& model_settings,
                          LMTrainingStart& start, const LMCommandLine& cl, std::uint64_t seed);

/// The `train` command for a model type with a `Config` (a field table, validate(), a
/// `vocab`) and a constructor Model(config, seed): `config` comes from the flags, or from
/// the run when it is resumed.
template <class Model>
LMResult run_train_command(const LMCommandLine& cl, typename Model::Config config,
                           const std::string& kind, const ProgramOptions& program) {
    using Config = typename Model::Config;
    LMTrainingStart start = open_lm_run(cl, kind, program);
    if (start.resumed())  // the run's model (a model flag must agree with it)
        config = saved_model_config(*start.run, config, flags_given(*cl.train_cmd));
    if (start.finished()) return report_finished(start);  // no text read, no model built
    const std::uint64_t seed = start.seed;
    load_lm_text(start, cl, config.vocab);
    config.vocab = start.text.vocabulary.size();
    Model model(config, seed);
    return train_and_report(model, Config::fields().to_json(config), start, cl, seed);
}

/// The `sample` command on a loaded model: --prompt continued by --tokens characters.
void run_sample_command(NextTokenModel& model, const CharVocabulary& vocabulary,
                        const LMCommandLine& cl, std::uint64_t seed);

}  // namespace tfm
