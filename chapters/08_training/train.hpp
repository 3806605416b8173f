// train.hpp — the training loop (chapter 08).
//
// One step: forward the batch through the model and the generator, compute the loss,
// backward it into every parameter's gradient, and — every `accumulate` batches — let
// Adam step with the scheduled learning rate and zero the gradients.
//
// Gradient accumulation, done right: the Annotated Transformer's loop steps after its
// very first batch (its counter test `i % accum_iter == 0` is true at i = 0) and never
// divides the accumulated gradient by the number of batches, so its first update sees
// one batch and the others accum_iter batches, each at full weight. Here every batch's
// loss is divided by the number of label tokens in its whole accumulation window, so
// the accumulated gradient is exactly the gradient of the mean loss per token over the
// window — the same update one big batch would have given.
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "batch.hpp"
#include "loss.hpp"
#include "optimizer.hpp"
#include "training_run.hpp"

namespace tfm {

// Declared, not included: the loop itself knows no model (chapter 12 trains its own
// through a BatchLoss); only the convenience constructor and model_files below name
// chapter 07's, and whoever calls them includes encoder_decoder.hpp.
class EncoderDecoder;

/// Thrown when the loss stops being a finite number; the message names the step.
class TrainingDiverged : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct TrainOptions {
    std::size_t accumulate = 1;  ///< batches per optimiser step
    double clip_norm = 0.0;      ///< clip the gradient's global norm to this (0: off)
    std::size_t log_every = 0;   ///< print a progress line every this many steps (0: never)
    /// Called after every optimiser step with what it did (a training run logs it:
    /// training_run.hpp).
    std::function<void(const StepRecord& step)> on_step;
};

struct EpochResult {
    double loss = 0.0;       ///< mean loss per label token over the epoch
    std::size_t tokens = 0;  ///< label tokens seen
    std::size_t steps = 0;   ///< optimiser steps taken
    double seconds = 0.0;
};

/// The loss of one batch, summed over its label tokens; with backward_scale > 0 it also
/// accumulates the gradient of backward_scale · loss into the parameters.
using BatchLoss = std::function<double(const Batch& batch, float backward_scale)>;

class Trainer {
public:
    /// `schedule` maps the optimiser step (1-based) to a learning rate.
    Trainer(EncoderDecoder& model, LabelSmoothing& criterion, Adam& optimizer,
            std::function<double(std::size_t)> schedule, TrainOptions options = {});
    /// The same loop for any model: `loss` computes a batch's loss (and gradient), and
    /// `set_training` switches the model's dropout on and off (chapter 12's language model).
    Trainer(BatchLoss loss, std::function<void(bool)> set_training, Adam& optimizer,
            std::function<double(std::size_t)> schedule, TrainOptions options = {});

    /// One pass over `batches`: training (dropout on, steps taken) or evaluation
    /// (dropout off, no gradients). Throws TrainingDiverged on a NaN or infinite loss.
    EpochResult run_epoch(const std::vector<Batch>& batches, bool train, std::size_t epoch = 0);

    /// The loss of one batch, summed over its label tokens; with `backward_scale` > 0 the
    /// gradient of scale·loss is accumulated into the parameters.
    double batch_loss(const Batch& batch, float backward_scale);

    double current_rate() const { return schedule_(optimizer_.steps() + 1); }

private:
    BatchLoss loss_;
    std::function<void(bool)> set_training_;
    Adam& optimizer_;
    std::function<double(std::size_t)> schedule_;
    TrainOptions options_;
};

/// What a training run saves of an encoder-decoder: its parameters, its generator, and
/// chapter 07's config.json.
ModelFiles model_files(EncoderDecoder& model);

}  // namespace tfm
