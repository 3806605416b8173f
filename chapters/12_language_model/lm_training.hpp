// lm_training.hpp — pre-training (and fine-tuning) the language model (chapter 12).
//
// The loop is chapter 08's Trainer; what differs is around it, as nanoGPT has it:
// batches are random windows of the text (char_text.hpp), the optimiser is AdamW with
// weight decay 0.1 on the matrices, the learning rate warms up for 100 iterations and
// then follows a cosine down to a tenth of its peak, gradients are clipped to norm 1, and
// every eval_interval iterations the loss is estimated on eval_iters random windows of
// the training and the validation text. Each evaluation can also save the run (chapter
// 08's training run), so it resumes exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "07_encoder_decoder/config_fields.hpp"
#include "08_training/training_run.hpp"
#include "char_text.hpp"
#include "gpt.hpp"

namespace tfm {

/// The kind of directory a language-model training run is (its files.hpp marker).
inline constexpr const char* kLanguageModelRunKind = "language-model training run";

struct LMOptions {
    // What a run keeps for its whole life (settings_fields: saved, restored on resume).
    std::size_t batch_size = 12;
    std::size_t eval_interval = 250;
    std::size_t eval_iters = 20;
    double learning_rate = 1e-3;
    double min_lr = 1e-4;
    std::size_t warmup = 100;
    std::size_t decay_iters = 2000;
    double weight_decay = 0.1;
    double beta1 = 0.9;
    double beta2 = 0.99;
    double grad_clip = 1.0;
    std::uint64_t seed = 1337;
    // What may change when a run is resumed (length_fields).
    std::size_t max_iters = 2000;
    std::size_t log_every = 0;  ///< progress lines every this many iterations

    static const FieldTable<LMOptions>& settings_fields();
    static const FieldTable<LMOptions>& length_fields();
};

/// Where train_language_model saves, if anywhere: a chapter 08 training run opened by
/// the caller (resumed or new), what its settings.json holds, and the chapter's own
/// files (the vocabulary) to write into every save.
struct LMSaving {
    TrainingRun* run = nullptr;
    nlohmann::json settings;
    std::function<void(const std::string& dir)> more;
};

struct LMResult {
    /// One per evaluation (the first before any training), at optimiser step `step`; a
    /// language model counts iterations, not epochs.
    std::vector<Evaluation> evals;
    double train_seconds = 0.0;  ///< the training iterations alone, evaluations excluded
};

/// The kind of directory a trained language model is, without its training state (files.hpp
/// marker): what `export` writes and the book ships in data/pretrained/.
inline constexpr const char* kLanguageModelKind = "language model";

/// A trained model with its characters: what `sample` loads from a training run or a
/// language-model directory — both hold model/ and vocabulary.txt.
struct LanguageModel {
    GPT model;
    CharVocabulary vocabulary;
};

/// Reads `dir`/vocabulary.txt, which must hold `vocab` characters (the model's ids).
CharVocabulary read_vocabulary(const std::string& dir, std::size_t vocab);

/// Loads model/ and vocabulary.txt from `dir`; a vocabulary whose size is not the model's
/// is a CheckpointError naming both (every id would map to another character).
LanguageModel load_language_model(const std::string& dir);

/// Writes a language-model directory (model/ and vocabulary.txt) atomically; with
/// `storage` DType::Float16 the weights take half the bytes.
void save_language_model(const std::string& dir, NextTokenModel& model,
                         const CharVocabulary& vocabulary, DType storage = DType::Float32);

/// The mean cross-entropy per character over `iters` random windows (dropout off). A loss
/// that is not a finite number is TrainingDiverged: the run stops before it would save.
double estimate_loss(NextTokenModel& model, const std::vector<std::int64_t>& data,
                     std::size_t iters, std::size_t batch, Rng& rng);

/// Trains `model` (chapter 12's GPT, or any NextTokenModel) on `train`, evaluating on `train` and
/// `val`; prints a line per evaluation (on standard error). With `saving.run`, every evaluation
/// also saves the run, and a resumed run first restores the model and the optimiser and continues
/// where it stopped, drawing the batches the uninterrupted run would have drawn.
LMResult train_language_model(NextTokenModel& model, const LMOptions& options,
                              const std::vector<std::int64_t>& train,
                              const std::vector<std::int64_t>& val, const LMSaving& saving = {});

}  // namespace tfm
