// translation.hpp — training a German→English translator, translating, averaging
// (chapter 10).
//
// Everything of chapters 07–09 meets real data here: the codecs turn sentences into ids,
// token-budget batches feed chapter 08's Trainer (label smoothing 0.1, Adam 0.9/0.98/
// 1e-9, the Noam schedule), every epoch ends with a validation loss, a validation BLEU
// and an atomic checkpoint that resumes exactly, and the trained model translates.
//
// A training run's directory (chapter 08's layout, plus what translating needs):
//
//     run/
//       model/  adam/  state.json     chapter 08: weights, optimiser, where the run stands
//       translation.json              the tokenization, maximum length and training settings
//       vocab/                        src.vocab and tgt.vocab, or one shared.spm
//       snapshots/epoch_018/ ...      the weights of the last few epochs, for averaging
//       steps.csv                     epoch,step,loss,lr,tokens for every optimiser step
//
// so a checkpoint alone can translate. `average` writes the mean of the snapshots as a
// "translation model" directory (model/, translation.json, vocab/), which translates the
// same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "07_encoder_decoder/encoder_decoder.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "batching.hpp"
#include "corpus.hpp"
#include "vocabulary.hpp"

namespace tfm {

/// The kind of directory `average` writes (files.hpp marker).
inline constexpr const char* kTranslationModelKind = "translation model";

/// The source and target codecs: two word codecs, or one shared subword codec.
struct Codecs {
    std::shared_ptr<const TextCodec> src;
    std::shared_ptr<const TextCodec> tgt;
    bool subword = false;
};

/// Builds the codecs from the training split only: word vocabularies (min_freq) or a
/// shared SentencePiece model of `subword_vocab` pieces.
Codecs build_codecs(const ParallelText& train, bool subword, std::size_t min_freq = 2,
                    std::size_t subword_vocab = 8000);

/// Writes the codecs into `dir` (src.vocab and tgt.vocab, or shared.spm); reads them back.
void save_codecs(const std::string& dir, const Codecs& codecs);
Codecs load_codecs(const std::string& dir, bool subword);

/// The pairs as ids with `<s>` and `</s>`. Pairs longer than `max_len` ids on either side
/// are skipped and counted in `skipped`.
std::vector<Example> make_examples(const ParallelText& text, const Codecs& codecs,
                                   std::size_t max_len, std::size_t& skipped);

/// Greedy decoding of many sentences (ids without `<s>`/`</s>`), in batches of similar
/// length of at most `batch_tokens` padded source tokens; each sentence stops at its own
/// `</s>` or after its source length + `extra` tokens (the paper's limit, §6.1), a batch
/// when all of its sentences have. Returns the output ids, without `<s>` and `</s>`.
/// Every step runs the decoder on the whole prefix again; chapter 11 caches it.
std::vector<std::vector<std::int64_t>> greedy_translate(
    EncoderDecoder& model, const std::vector<std::vector<std::int64_t>>& sources,
    std::size_t batch_tokens = 4096, std::size_t extra = 50);

/// A model with its codecs: what `translate` and `bleu` load from a checkpoint.
struct Translator {
    EncoderDecoder model;
    Codecs codecs;
    std::size_t max_len = 0;  ///< the training maximum (information only)

    /// Plain sentences in, plain (detokenized) translations out.
    std::vector<std::string> translate(const std::vector<std::string>& sentences,
                                       std::size_t batch_tokens = 4096);
};

/// Loads a training run or a translation model. A directory without its vocabulary or
/// translation.json is an error that says what is missing.
Translator load_translator(const std::string& dir);

struct TranslationOptions {
    std::string data_dir;  ///< the six Multi30k files
    std::string out_dir;   ///< the run's directory
    ModelConfig model;     ///< vocabulary sizes are filled in from the codecs
    bool subword = false;  ///< shared SentencePiece vocabulary and tied embeddings
    std::size_t subword_vocab = 8000;
    std::size_t min_freq = 2;
    std::size_t max_len = 64;  ///< longest sentence in ids, `<s>` and `</s>` included
    std::size_t epochs = 18;
    std::size_t budget = 3000;   ///< padded tokens per batch, on each side
    std::size_t accumulate = 1;  ///< batches per optimiser step
    double lr_factor = 0.5;      ///< Noam factor
    std::size_t warmup = 400;    ///< Noam warm-up steps
    float smoothing = 0.1f;
    double clip_norm = 0.0;
    std::size_t keep_snapshots = 5;     ///< epochs of weights kept for averaging
    std::size_t bleu_sentences = 1014;  ///< validation sentences scored each epoch (0: none)
    std::uint64_t seed = 0;
    bool resume = false;
    std::size_t log_every = 50;  ///< progress lines every this many steps (0: none)
    /// Called before each epoch (1-based), e.g. to stop a test run early.
    std::function<void(std::size_t epoch, EncoderDecoder& model)> before_epoch;
};

struct TranslationResult {
    std::vector<double> train_loss;  ///< label-smoothed loss per epoch
    std::vector<double> val_loss;    ///< cross-entropy per token on the validation split
    std::vector<double> val_bleu;    ///< per epoch
    std::vector<double> seconds;     ///< wall time of each epoch, validation included
};

/// A training run in pieces: set up from the data (or from the run being resumed), the
/// batches of an epoch, validation, and the end-of-epoch save. train_translation below
/// strings them together; chapter 13 reuses them around a data-parallel inner loop.
class TranslationRun {
public:
    /// Reads the data, builds (or loads) the codecs and the model, and, when resuming,
    /// restores the model, the optimiser and the run's settings. Prints what it set up
    /// unless `verbose` is false.
    explicit TranslationRun(const TranslationOptions& options, bool verbose = true);
    ~TranslationRun();

    /// The options in force (a resumed run's saved settings replace the given ones).
    const TranslationOptions& options() const;
    EncoderDecoder& model();
    Adam& optimizer();
    Trainer& trainer();
    const Codecs& codecs() const;
    const std::vector<Example>& train_examples() const;
    std::size_t completed_epochs() const;
    /// The learning rate of each optimiser step (the Noam schedule).
    std::function<double(std::size_t)> schedule() const;
    /// The batches of `epoch`: the same whenever it is planned (seed and epoch).
    BatchPlan epoch_plan(std::size_t epoch) const;
    /// Appends one optimiser step's line to the run's steps.csv.
    void log_step(std::size_t epoch, std::size_t step, double loss, double lr, std::size_t tokens);
    /// Cross-entropy per token on the validation split (dropout off).
    double validation_loss();
    /// Greedy BLEU on the first bleu_sentences validation sentences.
    double validation_bleu();
    /// Records the epoch and, with `save`, writes the run's directory atomically.
    void finish_epoch(std::size_t epoch, double train_loss, double val_loss, double bleu,
                      double seconds, bool save = true);
    void print_epoch(std::size_t epoch, double train_loss, double val_loss, double bleu,
                     double tokens_per_second, double seconds) const;
    TranslationResult result() const;

private:
    struct State;
    std::unique_ptr<State> s_;
};

/// Trains (or resumes) a translator as described above; prints a line per epoch.
TranslationResult train_translation(const TranslationOptions& options);

/// The settings of a few seconds' run on the made-up language (made_up_language.hpp) in
/// `data_dir`, saved in `out_dir`: one layer, C = 64, no dropout, ten epochs. The tour of
/// this chapter and of the next, and the tests, train with them.
TranslationOptions made_up_run_options(const std::string& data_dir, const std::string& out_dir,
                                       std::uint64_t seed);

/// The element-wise mean of the weights of model checkpoints (chapter 07 directories)
/// of one configuration — "averaging the last checkpoints" (paper §6.1).
EncoderDecoder average_checkpoints(const std::vector<std::string>& model_dirs);

/// The snapshot directories of a training run, oldest first.
std::vector<std::string> run_snapshots(const std::string& run_dir);

/// Writes a translation model (model/, translation.json, vocab/) atomically.
void save_translation_model(const std::string& dir, EncoderDecoder& model, const Codecs& codecs,
                            std::size_t max_len);

}  // namespace tfm
