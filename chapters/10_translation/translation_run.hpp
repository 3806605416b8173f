// translation_run.hpp — training a German→English translator (chapter 10).
//
// Everything of chapters 07–09 meets real data here: the codecs turn sentences into ids,
// token-budget batches feed chapter 08's Trainer (label smoothing 0.1, Adam 0.9/0.98/
// 1e-9, the Noam schedule), every epoch ends with a validation loss, a validation BLEU
// and an atomic save that resumes exactly, and the trained model translates.
//
// The run's directory is chapter 08's training run plus what translating needs:
//
//     run/
//       settings.json  model/  adam/  state.json  steps.csv     chapter 08
//       model/  vocab/  translation.json                        a translator (translator.hpp)
//       snapshots/epoch_018/ ...     the weights of the last few epochs, for averaging
//
// settings.json holds the model, the settings below that a run keeps for its whole life
// (tokenization, batch budget, learning-rate schedule, seed, ...), how far it goes (the
// epochs, ...) and a fingerprint of the training data; a resumed run takes them from
// there, refuses flags that would change its model or settings, and refuses data or
// vocabularies that are not the ones it was trained on.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "07_encoder_decoder/config_fields.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "08_training/training_run.hpp"
#include "batching.hpp"
#include "codecs.hpp"
#include "corpus.hpp"

namespace tfm {

/// The kind of directory a translation training run is (its files.hpp marker).
inline constexpr const char* kTranslationRunKind = "translation training run";

/// Chapter 10's default model: N = 3, C = 256, F = 512, H = 8, dropout 0.1 (vocabulary
/// sizes come from the codecs).
ModelConfig default_translation_model();

struct TranslationOptions {
    std::string data_dir;  ///< the six Multi30k files
    std::string out_dir;   ///< the run's directory
    RunStart start = RunStart::New;
    ModelConfig model = default_translation_model();

    // What a run keeps for its whole life (settings_fields: saved, restored on resume).
    bool subword = false;  ///< shared SentencePiece vocabulary and tied embeddings
    std::size_t subword_vocab = 8000;
    std::size_t min_freq = 2;
    std::size_t max_len = 64;    ///< longest sentence in ids, `<s>` and `</s>` included
    std::size_t budget = 3000;   ///< padded tokens per batch, on each side
    std::size_t accumulate = 1;  ///< batches per optimiser step
    double lr_factor = 0.5;      ///< Noam factor
    std::size_t warmup = 400;    ///< Noam warm-up steps
    float smoothing = 0.1f;
    double clip_norm = 0.0;
    std::uint64_t seed = 0;

    // What may change when a run is resumed (length_fields: saved too, and kept unless a
    // flag changes it).
    std::size_t epochs = 18;
    std::size_t keep_snapshots = 5;     ///< epochs of weights kept for averaging
    std::size_t bleu_sentences = 1014;  ///< validation sentences scored each epoch (0: none)
    std::size_t log_every = 50;         ///< progress lines every this many steps (0: none)
    /// The flags named on the command line (config_flags.hpp's flags_given). A resumed run
    /// refuses other values for its model and settings than its own, and for how far it
    /// goes takes these and its own values for the rest — so code that resumes a run for
    /// more epochs names them as a command line would: flags_given = {"--epochs"}.
    std::vector<std::string> flags_given;
    /// Called before each epoch (1-based), e.g. to stop a test run early.
    std::function<void(std::size_t epoch, EncoderDecoder& model)> before_epoch;

    static const FieldTable<TranslationOptions>& settings_fields();
    static const FieldTable<TranslationOptions>& length_fields();
};

/// A translation training run, set up: its options in force (a resumed run's saved
/// settings replace the given ones), its directory, the data and codecs, the model, the
/// optimiser and chapter 08's trainer. A plain struct: chapter 13 drives the same run
/// with its own inner loop.
struct TranslationRun {
    TranslationOptions options;
    TrainingRun files;
    ParallelText train, val;
    Codecs codecs;
    std::vector<Example> train_examples, val_examples;
    std::vector<Batch> val_batches;
    /// What settings.json holds — the model, the settings kept for the run's whole life and
    /// the training pairs' fingerprint (text_files.hpp's Fingerprint) — made once, when the
    /// run is opened: none of it changes.
    nlohmann::ordered_json settings;
    std::unique_ptr<EncoderDecoder> model;
    std::unique_ptr<Adam> adam;
    std::unique_ptr<LabelSmoothing> criterion;      ///< label-smoothed, for training
    std::unique_ptr<LabelSmoothing> cross_entropy;  ///< plain, for validation
    std::unique_ptr<Trainer> trainer;
    /// The same loop with the plain cross-entropy, run only without stepping (validation).
    std::unique_ptr<Trainer> evaluator;

    /// A resumed run that has already trained options.epochs epochs: it is opened no
    /// further (no data read, no model built), and there is nothing to train.
    bool finished() const { return files.resumed() && files.epochs_completed() >= options.epochs; }
};

/// Opens the run directory (chapter 08's checks first: nothing is replaced unless asked),
/// reads the data, builds or loads the codecs, builds the model and, when resuming,
/// restores it — unless the resumed run is finished(). Everything that can be checked
/// before the data are read is: the run's directory, and the model the flags ask for.
/// With `verbose`, prints what it set up (on standard error). `who_repairs` says whether
/// it repairs an interrupted save first (chapter 08's TrainingRun::open) or the caller has.
std::unique_ptr<TranslationRun> open_translation_run(const TranslationOptions& options,
                                                     bool verbose = true,
                                                     Repair who_repairs = Repair::Here);

/// Says on standard error that a finished() run has nothing left to train.
void report_finished(const TranslationRun& run);

/// The learning rate of each optimiser step (the Noam schedule).
std::function<double(std::size_t)> learning_rate_schedule(const TranslationRun& run);
/// The batches of `epoch`: the same whenever it is planned (seed and epoch).
BatchPlan epoch_plan(const TranslationRun& run, std::size_t epoch);
/// Ends epoch `epoch`, whose training steps measured `training` and which began at
/// `start`: the validation loss (dropout off) and the greedy BLEU of the first
/// bleu_sentences validation sentences, the evaluation recorded, the run's directory
/// written atomically, and one line on standard error. Returns the evaluation.
Evaluation finish_epoch(TranslationRun& run, std::size_t epoch, const EpochResult& training,
                        std::chrono::steady_clock::time_point start);

/// Trains (or resumes) a translator as described above; returns every evaluation.
std::vector<Evaluation> train_translation(const TranslationOptions& options);

/// The settings of a few seconds' run on the made-up language (made_up_language.hpp) in
/// `data_dir`, saved in `out_dir`: one layer, C = 64, no dropout, ten epochs. The tour of
/// this chapter and of the next, and the tests, train with them.
TranslationOptions made_up_run_options(const std::string& data_dir, const std::string& out_dir,
                                       std::uint64_t seed);

}  // namespace tfm
