// lm_training.cpp — the pre-training loop on chapter 08's Trainer.
#include "lm_training.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "07_encoder_decoder/parameter_files.hpp"
#include "08_training/loss.hpp"
#include "08_training/train.hpp"
#include "char_text.hpp"

namespace tfm {

namespace {
// How many batches of a stretch are drawn before they are trained on.
constexpr std::size_t kDrawnAtOnce = 64;

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
double seconds_since(double start) {
    return now_seconds() - start;
}

// The summed cross-entropy of a batch (label smoothing 0, no padding class), and with
// scale > 0 its gradient through the whole model.
BatchLoss language_model_loss(NextTokenModel& model, LabelSmoothing& cross_entropy) {
    return [&model, &cross_entropy](const Batch& batch, float scale) {
        Tensor<3> z_BLV = model.forward(batch.tgt_in_BL);
        const double loss = cross_entropy.forward_backward_logits(z_BLV, batch.tgt_y_BL, scale);
        if (scale > 0.0f) model.backward(z_BLV);
        return loss;
    };
}
}  // namespace

CharVocabulary read_vocabulary(const std::string& dir, std::size_t vocab) {
    const std::string path = dir + "/vocabulary.txt";
    CharVocabulary vocabulary;
    try {
        vocabulary = CharVocabulary::from_chars(read_file(path, 4096), path);
    } catch (const std::exception& e) {
        throw CheckpointError(e.what());
    }
    if (vocabulary.size() != vocab) {
        throw CheckpointError(path + ": " + std::to_string(vocabulary.size()) +
                              " characters, but the model has " + std::to_string(vocab) +
                              " ids: each id would stand for another character");
    }
    return vocabulary;
}

LanguageModel load_language_model(const std::string& dir) {
    require_checkpoint_directory(dir);
    GPT model = load_gpt(model_directory(dir));
    const CharVocabulary vocabulary = read_vocabulary(dir, model.config().vocab);
    return LanguageModel{std::move(model), vocabulary};
}

void save_language_model(const std::string& dir, NextTokenModel& model,
                         const CharVocabulary& vocabulary, DType storage) {
    replace_directory(dir, kLanguageModelKind, [&](const std::string& tmp) {
        std::filesystem::create_directory(model_directory(tmp));
        write_model_files(model_directory(tmp), model, storage);
        write_file_atomically(tmp + "/vocabulary.txt", vocabulary.chars());
    });
}

double estimate_loss(NextTokenModel& model, const std::vector<std::int64_t>& data,
                     std::size_t iters, std::size_t batch, Rng& rng) {
    model.train(false);
    LabelSmoothing cross_entropy(model.vocab(), -1, 0.0f);
    const BatchLoss loss = language_model_loss(model, cross_entropy);
    double total = 0.0;
    std::size_t tokens = 0;
    for (std::size_t i = 0; i < iters; ++i) {
        const Batch b = random_windows(data, batch, model.context(), rng);
        total += loss(b, 0.0f);
        tokens += b.ntokens;
    }
    // Weights that went bad on the last step before an evaluation give a loss that is not
    // a number; stopping here keeps the last good save (a save would replace it).
    if (!std::isfinite(total)) {
        throw TrainingDiverged("training diverged: the estimated loss is " + std::to_string(total) +
                               " after " + std::to_string(iters) + " batches");
    }
    return tokens ? total / double(tokens) : 0.0;
}

const FieldTable<LMOptions>& LMOptions::settings_fields() {
    static const FieldTable<LMOptions> table =
        FieldTable<LMOptions>()
            .integer("batch_size", &LMOptions::batch_size, 1, 1 << 20, "--batch-size",
                     "windows per iteration")
            .integer("eval_interval", &LMOptions::eval_interval, 1, 10000000, "--eval-interval",
                     "iterations between evaluations (and saves)")
            .integer("eval_iters", &LMOptions::eval_iters, 1, 1000000, "--eval-iters",
                     "batches each loss is estimated on")
            .number("learning_rate", &LMOptions::learning_rate, 0.0, 10.0, "--lr",
                    "the peak learning rate")
            .number("min_lr", &LMOptions::min_lr, 0.0, 10.0, "--min-lr",
                    "the learning rate at the end of the cosine")
            .integer("warmup", &LMOptions::warmup, 0, 10000000, "--warmup", "warm-up iterations")
            .integer("decay_iters", &LMOptions::decay_iters, 1, 10000000, "--decay-iters",
                     "iterations of the cosine (default: --max-iters)")
            .number("weight_decay", &LMOptions::weight_decay, 0.0, 10.0, "--weight-decay",
                    "AdamW's decay of the matrices")
            .number("beta1", &LMOptions::beta1, 0.0, 0.999999)
            .number("beta2", &LMOptions::beta2, 0.0, 0.999999)
            .number("grad_clip", &LMOptions::grad_clip, 0.0, 1e6, "--grad-clip",
                    "clip the gradient norm to this (0: off)")
            .integer("seed", &LMOptions::seed, 0, ~std::uint64_t(0));
    return table;
}

const FieldTable<LMOptions>& LMOptions::length_fields() {
    static const FieldTable<LMOptions> table =
        FieldTable<LMOptions>()
            .integer("max_iters", &LMOptions::max_iters, 1, 10000000, "--max-iters",
                     "iterations in all")
            .integer("log_every", &LMOptions::log_every, 0, 10000000, "--log-every",
                     "progress lines every this many iterations (0: none)");
    return table;
}

//! [train language model]
LMResult train_language_model(NextTokenModel& model, const LMOptions& o,
                              const std::vector<std::int64_t>& train,
                              const std::vector<std::int64_t>& val, const LMSaving& saving) {
    check_holds_a_window(train.size(), model.context(), "the training split");  // before any
    check_holds_a_window(val.size(), model.context(), "the validation split");  // work
    // AdamW: weight decay on the matrices (two or more dimensions), never on gains or biases.
    const ParameterList params = model.parameters();
    std::vector<bool> decay;
    for (const Parameter* p : params) decay.push_back(p->value.dimension() >= 2);
    AdamW optimizer(params, decay, o.weight_decay, o.beta1, o.beta2, 1e-8);
    LabelSmoothing cross_entropy(model.vocab(), -1, 0.0f);
    TrainingRun* run = saving.run;
    TrainOptions train_options;
    train_options.clip_norm = o.grad_clip;
    // Progress lines come from here, by iteration: the trainer sees a stretch in pieces.
    train_options.on_step = [run, &o](const StepRecord& s) {
        if (run) run->log_step(s);
        if (o.log_every && s.step % o.log_every == 0)
            std::fprintf(stderr, "iter %5zu | loss %.4f | lr %.2e\n", s.step, s.loss, s.lr);
    };
    // The trainer counts steps from 1; nanoGPT's schedule counts iterations from 0.
    Trainer trainer(
        language_model_loss(model, cross_entropy), [&model](bool on) { model.train(on); },
        optimizer,
        [&o](std::size_t step) {
            return cosine_rate(step - 1, o.learning_rate, o.min_lr, o.warmup, o.decay_iters);
        },
        train_options);
    LMResult result;
    if (run && run->resumed()) {
        run->restore(model.files(), optimizer);
        result.evals = run->evaluations();
        for (const Evaluation& e : result.evals) result.train_seconds += e.train_seconds;
    }
    auto evaluate = [&](std::size_t iter, double stretch_seconds, double started) {
        Rng eval_rng(o.seed * 7919 + iter);  // the same windows whenever this evaluation runs
        Evaluation e;
        e.step = iter;
        e.train_loss = estimate_loss(model, train, o.eval_iters, o.batch_size, eval_rng);
        e.val_loss = estimate_loss(model, val, o.eval_iters, o.batch_size, eval_rng);
        e.train_seconds = stretch_seconds;
        e.seconds = seconds_since(started);
        result.evals.push_back(e);
        std::fprintf(stderr, "iter %5zu | train loss %.4f | val loss %.4f | %.1f s of training\n",
                     iter, e.train_loss, e.val_loss, result.train_seconds);
        return e;
    };
    std::size_t iter = optimizer.steps();
    if (iter == 0) {
        const Evaluation first = evaluate(0, 0.0, now_seconds());
        if (run) run->record(first);
    }
    while (iter < o.max_iters) {
        // The next stretch of iterations, with batches drawn from a generator seeded by
        // where the stretch starts: a resumed run draws what the uninterrupted one did.
        // Drawing them is timed with the iterations, as nanoGPT's loop times get_batch.
        // They are drawn kDrawnAtOnce at a time, so memory does not grow with the stretch.
        const double start = now_seconds();
        const std::size_t n = std::min(o.eval_interval, o.max_iters - iter);
        Rng data_rng(o.seed * 1000003 + iter);
        std::vector<Batch> batches;
        for (std::size_t done = 0; done < n; done += batches.size()) {
            batches.clear();
            for (std::size_t i = done; i < std::min(n, done + kDrawnAtOnce); ++i)
                batches.push_back(random_windows(train, o.batch_size, model.context(), data_rng));
            iter += trainer.run_epoch(batches, true, 0).steps;
        }
        const double stretch = seconds_since(start);
        result.train_seconds += stretch;
        const Evaluation e = evaluate(iter, stretch, start);
        if (run) {
            run->record(e);
            run->save(model.files(), optimizer, saving.settings, saving.more);
        }
    }
    model.train(false);
    return result;
}
//! [train language model]

}  // namespace tfm
