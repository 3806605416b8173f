// copy_model.hpp — a small copy-task model trained in a second, for chapter 09's
// exercise tests: chapter 09's data, chapter 08's loss, optimiser and loop.
#pragma once

#include <cstddef>

#include "00_tensors/random.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "09_copy_task/copy_task.hpp"

namespace tfm::testing {

/// Tokens 1..10 and padding, as in the chapter.
inline constexpr std::size_t kCopyVocab = 11;

/// One layer of width 32, 4 heads, no dropout.
inline ModelConfig small_copy_model() {
    return small_config(kCopyVocab, 1, 32, 64, 4);
}

/// `epochs` epochs of 24 batches of 32 copy-task sequences of `length` tokens (the start
/// symbol included); leaves the model in evaluation mode.
inline void train_copy_model(EncoderDecoder& model, std::size_t epochs, std::size_t length) {
    LabelSmoothing criterion(kCopyVocab, kCopyPad, 0.0f);
    Adam adam(model.parameters());
    Trainer trainer(model, criterion, adam,
                    [](std::size_t step) { return noam_rate(step, 32, 1.0, 40); });
    Rng data(5);
    for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
        trainer.run_epoch(copy_task_batches(data, kCopyVocab, 32, 24, length), true, epoch);
    }
    model.train(false);
}

}  // namespace tfm::testing
