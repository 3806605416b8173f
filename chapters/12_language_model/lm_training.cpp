// lm_training.cpp — the pre-training loop on chapter 08's Trainer.
#include "lm_training.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "08_training/loss.hpp"
#include "08_training/train.hpp"
#include "08_training/training_state.hpp"
#include "char_text.hpp"

namespace tfm {

namespace {
// The summed cross-entropy of a batch (label smoothing 0, no padding class), and with
// scale > 0 its gradient through the whole model.
BatchLoss language_model_loss(GPT& model, LabelSmoothing& cross_entropy) {
    return [&model, &cross_entropy](const Batch& batch, float scale) {
        Tensor<3> z_BTV = model.forward(batch.tgt_in_BL);
        const double loss = cross_entropy.forward_backward_logits(z_BTV, batch.tgt_y_BL, scale);
        if (scale > 0.0f) model.backward(z_BTV);
        return loss;
    };
}
}  // namespace

double estimate_loss(GPT& model, const std::vector<std::int64_t>& data, std::size_t iters,
                     std::size_t batch, Rng& rng) {
    model.train(false);
    LabelSmoothing cross_entropy(model.config().vocab, -1, 0.0f);
    const BatchLoss loss = language_model_loss(model, cross_entropy);
    double total = 0.0;
    std::size_t tokens = 0;
    for (std::size_t i = 0; i < iters; ++i) {
        const Batch b = random_windows(data, batch, model.config().block_size, rng);
        total += loss(b, 0.0f);
        tokens += b.ntokens;
    }
    return tokens ? total / double(tokens) : 0.0;
}

//! [train language model]
LMResult train_language_model(GPT& model, const LMOptions& o,
                              const std::vector<std::int64_t>& train,
                              const std::vector<std::int64_t>& val) {
    if (!o.out_dir.empty() && !o.resume)
        check_output_directory(o.out_dir, kTrainingRunKind, "--out");
    // AdamW: weight decay on the matrices (two or more dimensions), never on gains or biases.
    const ParameterList params = model.parameters();
    std::vector<bool> decay;
    for (const Parameter* p : params) decay.push_back(p->value.dimension() >= 2);
    AdamW optimizer(params, decay, o.weight_decay, o.beta1, o.beta2, 1e-8);
    LabelSmoothing cross_entropy(model.config().vocab, -1, 0.0f);
    TrainOptions train_options;
    train_options.clip_norm = o.grad_clip;
    train_options.log_every = o.log_every;
    // The trainer counts steps from 1; nanoGPT's schedule counts iterations from 0.
    Trainer trainer(
        language_model_loss(model, cross_entropy), [&model](bool on) { model.train(on); },
        optimizer,
        [&o](std::size_t step) {
            return cosine_rate(step - 1, o.learning_rate, o.min_lr, o.warmup, o.decay_iters);
        },
        train_options);
    LMResult result;
    RunState run;
    if (o.resume) {
        run = load_training_run(o.out_dir, gpt_model_files(model), optimizer);
        try {
            for (const auto& e : run.extra.at("evals")) {
                result.evals.push_back(
                    {e.at(0).get<std::size_t>(), e.at(1).get<double>(), e.at(2).get<double>()});
            }
            result.train_seconds = run.extra.at("train_seconds").get<double>();
        } catch (const nlohmann::json::exception&) {
            throw CheckpointError(
                o.out_dir + "/state.json: 'extra' lacks the evaluations of a language-model run");
        }
    }
    auto evaluate = [&](std::size_t iter) {
        Rng eval_rng(o.seed * 7919 + iter);  // the same windows whenever this evaluation runs
        const double tl = estimate_loss(model, train, o.eval_iters, o.batch_size, eval_rng);
        const double vl = estimate_loss(model, val, o.eval_iters, o.batch_size, eval_rng);
        result.evals.push_back({iter, tl, vl});
        std::printf("iter %5zu | train loss %.4f | val loss %.4f | %.1f s of training\n", iter, tl,
                    vl, result.train_seconds);
        std::fflush(stdout);
    };
    std::size_t iter = optimizer.steps();
    if (iter == 0) evaluate(0);
    while (iter < o.max_iters) {
        // The next stretch of iterations, with batches drawn from a generator seeded by
        // where the stretch starts: a resumed run draws what the uninterrupted one did.
        // Drawing them is timed with the iterations, as nanoGPT's loop times get_batch.
        const auto start = std::chrono::steady_clock::now();
        const std::size_t n = std::min(o.eval_interval, o.max_iters - iter);
        Rng data_rng(o.seed * 1000003 + iter);
        std::vector<Batch> batches;
        for (std::size_t i = 0; i < n; ++i)
            batches.push_back(
                random_windows(train, o.batch_size, model.config().block_size, data_rng));
        const EpochResult r = trainer.run_epoch(batches, true, iter / o.eval_interval + 1);
        result.train_seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        iter += r.steps;
        evaluate(iter);
        if (!o.out_dir.empty()) {
            run.epoch = result.evals.size() - 1;  // evaluations after the first
            run.train_loss.clear();
            run.eval_loss.clear();
            nlohmann::json evals = nlohmann::json::array();
            for (const LMEval& e : result.evals) {
                if (e.iter > 0) {
                    run.train_loss.push_back(e.train_loss);
                    run.eval_loss.push_back(e.val_loss);
                }
                evals.push_back({e.iter, e.train_loss, e.val_loss});
            }
            run.extra["evals"] = evals;
            run.extra["train_seconds"] = result.train_seconds;
            save_training_run(o.out_dir, gpt_model_files(model), optimizer, run, o.save_more);
        }
    }
    model.train(false);
    return result;
}
//! [train language model]

}  // namespace tfm
