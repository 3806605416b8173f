// train.cpp — epochs, accumulation, progress lines and the loss log.
#include "train.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "00_tensors/files.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"

namespace tfm {

//! [batch loss]
Trainer::Trainer(EncoderDecoder& model, LabelSmoothing& criterion, Adam& optimizer,
                 std::function<double(std::size_t)> schedule, TrainOptions options)
    : Trainer(
          [&model, &criterion](const Batch& batch, float backward_scale) {
              const Tensor<3> out_BLC = model.forward(batch.src_BM, batch.tgt_in_BL,
                                                      batch.src_mask_B1M, batch.tgt_mask_BLL);
              // The generator's logits; the loss applies the log-softmax itself and
              // overwrites them with ∂(scale·loss)/∂z = scale·(p − q), which goes
              // straight into the generator's Linear and then the whole model.
              Tensor<3> z_BLV = model.generator.logits(out_BLC);
              const double loss =
                  criterion.forward_backward_logits(z_BLV, batch.tgt_y_BL, backward_scale);
              if (backward_scale > 0.0f) model.backward(model.generator.backward_logits(z_BLV));
              return loss;
          },
          [&model](bool training) { model.train(training); }, optimizer, std::move(schedule),
          std::move(options)) {}
//! [batch loss]

Trainer::Trainer(BatchLoss loss, std::function<void(bool)> set_training, Adam& optimizer,
                 std::function<double(std::size_t)> schedule, TrainOptions options)
    : loss_(std::move(loss)),
      set_training_(std::move(set_training)),
      optimizer_(optimizer),
      schedule_(std::move(schedule)),
      options_(std::move(options)) {
    if (options_.accumulate == 0)
        throw std::invalid_argument("Trainer: accumulate must be at least 1");
}

double Trainer::batch_loss(const Batch& batch, float backward_scale) {
    return loss_(batch, backward_scale);
}

//! [run epoch]
EpochResult Trainer::run_epoch(const std::vector<Batch>& batches, bool train, std::size_t epoch) {
    set_training_(train);
    EpochResult result;
    const auto start = std::chrono::steady_clock::now();
    double total_loss = 0.0;
    const std::size_t n = batches.size(), k = options_.accumulate;
    for (std::size_t first = 0; first < n; first += k) {
        // One accumulation window: batches [first, last).
        const std::size_t last = std::min(n, first + k);
        std::size_t window_tokens = 0;
        for (std::size_t i = first; i < last; ++i) window_tokens += batches[i].ntokens;
        const float scale = window_tokens > 0 ? 1.0f / float(window_tokens) : 0.0f;
        double window_loss = 0.0;
        for (std::size_t i = first; i < last; ++i)
            window_loss += batch_loss(batches[i], train ? scale : 0.0f);
        if (!std::isfinite(window_loss)) {
            throw TrainingDiverged("training diverged: the loss is " + std::to_string(window_loss) +
                                   " at step " + std::to_string(optimizer_.steps() + 1) +
                                   " (epoch " + std::to_string(epoch) + ")");
        }
        total_loss += window_loss;
        result.tokens += window_tokens;
        if (!train) continue;
        if (options_.clip_norm > 0.0) clip_grad_norm(optimizer_.parameters(), options_.clip_norm);
        const double lr = schedule_(optimizer_.steps() + 1);
        optimizer_.step(lr);
        optimizer_.zero_grad();
        ++result.steps;
        const double step_loss = window_tokens ? window_loss / double(window_tokens) : 0.0;
        if (options_.on_step)
            options_.on_step(StepRecord{epoch, optimizer_.steps(), step_loss, lr, window_tokens});
        if (options_.log_every && result.steps % options_.log_every == 0) {
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double left = elapsed / double(last) * double(n - last);
            // Progress goes to standard error: standard output carries only results.
            std::fprintf(
                stderr,
                "epoch %zu step %zu (%zu/%zu batches) | loss %.4f | %.0f tokens/s | lr %.2e | %.0f "
                "s left\n",
                epoch, optimizer_.steps(), last, n, step_loss, double(result.tokens) / elapsed, lr,
                left);
        }
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.loss = result.tokens ? total_loss / double(result.tokens) : 0.0;
    return result;
}
//! [run epoch]

ModelFiles model_files(EncoderDecoder& model) {
    return ModelFiles{model.parameters(), &model.rng(), [&model](const std::string& dir) {
                          write_file_atomically(dir + "/config.json", model.config().to_json());
                      }};
}

}  // namespace tfm
