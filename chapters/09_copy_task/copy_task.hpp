// copy_task.hpp — the first full training run: learning to copy (chapter 09).
//
// The Annotated Transformer's first example. The data: batches of random sequences of
// length 10 over tokens 1..V−1 whose first token is the start symbol 1; the source and
// the target are the same sequence, so the model must learn to reproduce its input.
// Token 0 is padding and never occurs.
//
// The run: make_model(V, V, N), Adam(lr 0.5 × Noam(C, factor 1, warmup 400), β 0.9/0.98,
// ε 1e-9), label smoothing 0, 20 epochs of 20 batches of 80 sequences, then greedy
// decoding from the same start symbol 1. (The 2022 notebook trains with start symbol 1
// but decodes from 0; we use 1 for both.)
//
// Every epoch ends with a checkpoint: the model (chapter 07's format) plus the
// optimiser's moments and the run's state, written atomically, so `resume` continues
// exactly — bit for bit — where an uninterrupted run would be, and a NaN loss stops the
// run with the last good checkpoint intact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "00_tensors/random.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "08_training/batch.hpp"
#include "08_training/training_run.hpp"

namespace tfm {

/// The start symbol, used both in the training data and for decoding.
inline constexpr std::int64_t kCopyStart = 1;
/// The padding token (it never occurs in the copy task's data).
inline constexpr std::int64_t kCopyPad = 0;

/// The kind of directory a copy-task training run is (its files.hpp marker).
inline constexpr const char* kCopyTaskRunKind = "copy-task training run";

/// `batches` batches of `batch_size` random sequences of `length` tokens in [1, vocab),
/// each starting with kCopyStart; source = target (the Annotated Transformer's data_gen).
std::vector<Batch> copy_task_batches(Rng& rng, std::size_t vocab, std::size_t batch_size,
                                     std::size_t batches, std::size_t length = 10);

struct CopyTaskOptions {
    ModelConfig model;  ///< the model (make_model's arguments)
    std::size_t epochs = 20;
    std::size_t batches_per_epoch = 20;
    std::size_t batch_size = 80;
    std::size_t length = 10;
    double lr_factor = 1.0;  ///< Noam factor
    double lr_scale = 0.5;   ///< Adam's base lr, multiplied by the Noam rate
    std::size_t warmup = 400;
    std::size_t noam_size = 0;  ///< the C in the Noam formula; 0: the model's d_model
    std::uint64_t seed = 0;
    std::string checkpoint_dir;      ///< "" : no checkpoints
    RunStart start = RunStart::New;  ///< or continue (Resume) / replace (Overwrite) the run
    std::size_t log_every = 0;       ///< progress lines every this many steps

    /// The settings a run saves and a resumed run must match: everything above but the
    /// model (saved as its own config), the epochs (a run may be extended), the directory,
    /// how it starts and the progress lines.
    static const FieldTable<CopyTaskOptions>& fields();
    /// Called before each epoch (1-based), e.g. to stop a test run early.
    std::function<void(std::size_t epoch, EncoderDecoder& model)> before_epoch;
};

struct CopyTaskResult {
    std::vector<double> train_loss;  ///< per epoch
    std::vector<double> eval_loss;   ///< per epoch, on 5 fresh batches
    std::size_t first_epoch = 1;     ///< > 1 when resumed
    double seconds = 0.0;
};

/// Runs (or resumes) the copy-task training; returns the losses. The trained model is
/// left in `model`, which must have been built with options.model.
CopyTaskResult train_copy_task(const CopyTaskOptions& options, EncoderDecoder& model);

/// True if greedy decoding reproduces every sequence of `src_BL` (started from kCopyStart).
bool copies_exactly(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL);

}  // namespace tfm
