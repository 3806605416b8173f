// copy_task.cpp — data, the training run with exact resume, and the copy check.
#include "copy_task.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "00_tensors/files.hpp"
#include "03_attention/masks.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "08_training/training_state.hpp"

namespace tfm {

//! [data gen]
std::vector<Batch> copy_task_batches(Rng& rng, std::size_t vocab, std::size_t batch_size,
                                     std::size_t batches, std::size_t length) {
    std::vector<Batch> out;
    out.reserve(batches);
    for (std::size_t i = 0; i < batches; ++i) {
        // Tokens 1..V−1 (0 is padding), each sequence starting with the start symbol.
        xt::xtensor<std::int64_t, 2> data_BL = random_token_ids(rng, batch_size, length, vocab);
        for (std::size_t b = 0; b < batch_size; ++b) data_BL(b, 0) = kCopyStart;
        out.push_back(make_batch(data_BL, data_BL, kCopyPad));  // the target is the source
    }
    return out;
}
//! [data gen]

//! [train copy task]
CopyTaskResult train_copy_task(const CopyTaskOptions& o, EncoderDecoder& model) {
    const auto start = std::chrono::steady_clock::now();
    CopyTaskResult result;
    LabelSmoothing criterion(o.model.tgt_vocab, kCopyPad, 0.0f);
    Adam adam(model.parameters());  // β1 0.9, β2 0.98, ε 1e-9
    TrainOptions train_options;
    train_options.log_every = o.log_every;
    Trainer trainer(
        model, criterion, adam,
        [&](std::size_t step) {
            return o.lr_scale * noam_rate(step, o.noam_size ? o.noam_size : o.model.d_model,
                                          o.lr_factor, o.warmup);
        },
        train_options);

    RunState run;
    if (o.resume) {
        if (o.checkpoint_dir.empty())
            throw std::invalid_argument("--resume needs --checkpoint DIR");
        run = load_training_run(o.checkpoint_dir, model, adam);
        result.first_epoch = run.epoch + 1;
        if (run.epoch >= o.epochs) {
            std::printf(
                "the run in %s has already trained %zu epochs (asked for %zu): nothing left to "
                "train\n",
                o.checkpoint_dir.c_str(), run.epoch, o.epochs);
        }
    } else if (!o.checkpoint_dir.empty()) {
        check_output_directory(o.checkpoint_dir, kTrainingRunKind,
                               "--checkpoint");  // before an epoch's work
    }
    for (std::size_t epoch = run.epoch + 1; epoch <= o.epochs; ++epoch) {
        if (o.before_epoch) o.before_epoch(epoch, model);
        // Each epoch's data comes from its own seeded generator, so a resumed run sees the
        // very batches the uninterrupted run would have seen.
        Rng data_rng(o.seed * 1000003 + epoch);
        const auto batches = copy_task_batches(data_rng, o.model.src_vocab, o.batch_size,
                                               o.batches_per_epoch, o.length);
        const auto valid =
            copy_task_batches(data_rng, o.model.src_vocab, o.batch_size, 5, o.length);
        const EpochResult tr = trainer.run_epoch(batches, true, epoch);  // throws on NaN: no save
        const EpochResult ev = trainer.run_epoch(valid, false, epoch);
        run.epoch = epoch;
        run.train_loss.push_back(tr.loss);
        run.eval_loss.push_back(ev.loss);
        std::printf(
            "epoch %2zu | train loss %.4f | validation loss %.4f | %.0f tokens/s | %.1f s\n", epoch,
            tr.loss, ev.loss, double(tr.tokens) / tr.seconds, tr.seconds);
        std::fflush(stdout);
        if (!o.checkpoint_dir.empty()) save_training_run(o.checkpoint_dir, model, adam, run);
    }
    result.train_loss = run.train_loss;
    result.eval_loss = run.eval_loss;
    model.train(false);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}
//! [train copy task]

bool copies_exactly(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL) {
    model.train(false);
    const auto ys =
        greedy_decode(model, src_BL, padding_mask(src_BL, kCopyPad), src_BL.shape()[1], kCopyStart);
    return ys == src_BL;
}

}  // namespace tfm
