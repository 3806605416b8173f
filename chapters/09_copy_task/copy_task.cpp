// copy_task.cpp — data, the training run with exact resume, and the copy check.
#include "copy_task.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>

#include "00_tensors/files.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "07_encoder_decoder/config_fields.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "08_training/training_run.hpp"

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

const FieldTable<CopyTaskOptions>& CopyTaskOptions::fields() {
    static const FieldTable<CopyTaskOptions> table =
        FieldTable<CopyTaskOptions>()
            .integer("batches_per_epoch", &CopyTaskOptions::batches_per_epoch, 1, 1000000)
            .integer("batch_size", &CopyTaskOptions::batch_size, 1, 1000000)
            .integer("length", &CopyTaskOptions::length, 2, 4096)
            .number("lr_factor", &CopyTaskOptions::lr_factor, 0.0, 1e6)
            .number("lr_scale", &CopyTaskOptions::lr_scale, 0.0, 1e6)
            .integer("warmup", &CopyTaskOptions::warmup, 1, 1 << 30)
            .integer("noam_size", &CopyTaskOptions::noam_size, 0, 1 << 20)
            .integer("seed", &CopyTaskOptions::seed, 0, ~std::uint64_t(0));
    return table;
}

namespace {
nlohmann::json settings_json(const CopyTaskOptions& o) {
    nlohmann::ordered_json j;
    j["model"] = ModelConfig::fields().to_json(o.model);
    j["training"] = CopyTaskOptions::fields().to_json(o);
    return j;
}
}  // namespace

//! [train copy task]
CopyTaskResult train_copy_task(const CopyTaskOptions& o, EncoderDecoder& model) {
    const auto start = std::chrono::steady_clock::now();
    CopyTaskResult result;
    LabelSmoothing criterion(o.model.tgt_vocab, kCopyPad, 0.0f);
    Adam adam(model.parameters());  // β1 0.9, β2 0.98, ε 1e-9
    if (o.start == RunStart::Resume && o.checkpoint_dir.empty())
        throw std::invalid_argument("--resume needs --checkpoint DIR");
    // Checked before any work: --checkpoint must be free (or the run to continue).
    std::optional<TrainingRun> run;
    if (!o.checkpoint_dir.empty())
        run = TrainingRun::open(o.checkpoint_dir, kCopyTaskRunKind, o.start, "--checkpoint");
    const nlohmann::json settings = settings_json(o);
    if (run && run->resumed()) {
        // The model was built from `o`: the run must have been started with the same.
        const std::string d = json_difference(run->settings(), settings);
        if (!d.empty()) {
            throw CheckpointError(run->layout().settings() +
                                  ": the run was saved with other settings (" + d +
                                  ", saved against asked): resume it with the flags it was "
                                  "started with");
        }
        // model/config.json must describe the same model (it makes model/ a checkpoint
        // of its own, which chapter 07's program reads).
        saved_model_config(*run, o.model);
        run->restore(model_files(model), adam);
        result.first_epoch = run->epochs_completed() + 1;
        if (run->epochs_completed() >= o.epochs) {
            std::fprintf(stderr,
                         "the run in %s has already trained %zu epochs (asked for %zu): nothing "
                         "left to train\n",
                         o.checkpoint_dir.c_str(), run->epochs_completed(), o.epochs);
        }
    }
    TrainOptions train_options;
    train_options.log_every = o.log_every;
    if (run) train_options.on_step = [&run](const StepRecord& s) { run->log_step(s); };
    Trainer trainer(
        model, criterion, adam,
        [&](std::size_t step) {
            return o.lr_scale * noam_rate(step, o.noam_size ? o.noam_size : o.model.d_model,
                                          o.lr_factor, o.warmup);
        },
        train_options);

    std::vector<Evaluation> history = run ? run->evaluations() : std::vector<Evaluation>{};
    for (std::size_t epoch = result.first_epoch; epoch <= o.epochs; ++epoch) {
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
        Evaluation e;
        e.epoch = epoch;
        e.step = adam.steps();
        e.train_loss = tr.loss;
        e.val_loss = ev.loss;
        e.train_seconds = tr.seconds;
        e.seconds = tr.seconds + ev.seconds;
        history.push_back(e);
        std::fprintf(
            stderr,
            "epoch %2zu | train loss %.4f | validation loss %.4f | %.0f tokens/s | %.1f s\n", epoch,
            tr.loss, ev.loss, double(tr.tokens) / tr.seconds, tr.seconds);
        if (run) {
            run->record(e);
            run->save(model_files(model), adam, settings);
        }
    }
    for (const Evaluation& e : history) {
        result.train_loss.push_back(e.train_loss);
        result.eval_loss.push_back(e.val_loss);
    }
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
