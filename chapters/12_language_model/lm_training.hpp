// lm_training.hpp — pre-training (and fine-tuning) the language model (chapter 12).
//
// The loop is chapter 08's Trainer; what differs is around it, as nanoGPT has it:
// batches are random windows of the text (char_text.hpp), the optimiser is AdamW with
// weight decay 0.1 on the matrices, the learning rate warms up for 100 iterations and
// then follows a cosine down to a tenth of its peak, gradients are clipped to norm 1, and
// every eval_interval iterations the loss is estimated on eval_iters random windows of
// the training and the validation text. Each evaluation also saves the run (chapter 08's
// training-run directory), so it can resume exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "gpt.hpp"

namespace tfm {

struct LMOptions {
    std::size_t batch_size = 12;
    std::size_t max_iters = 2000;
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
    std::string out_dir;  ///< save the run here at every evaluation ("" : never)
    bool resume = false;  ///< continue the run in out_dir
    /// Writes further files into every save of the run (given the directory being
    /// written), e.g. the vocabulary, so that the run alone can sample.
    std::function<void(const std::string& dir)> save_more;
    std::size_t log_every = 0;  ///< progress lines every this many iterations
};

/// One evaluation: the estimated losses after `iter` iterations.
struct LMEval {
    std::size_t iter;
    double train_loss;
    double val_loss;
};

struct LMResult {
    std::vector<LMEval> evals;
    double train_seconds = 0.0;  ///< the training iterations alone, evaluations excluded
};

/// The mean cross-entropy per character over `iters` random windows (dropout off).
double estimate_loss(GPT& model, const std::vector<std::int64_t>& data, std::size_t iters,
                     std::size_t batch, Rng& rng);

/// Trains `model` on `train`, evaluating on `train` and `val`; prints a line per evaluation.
LMResult train_language_model(GPT& model, const LMOptions& options,
                              const std::vector<std::int64_t>& train,
                              const std::vector<std::int64_t>& val);

}  // namespace tfm
