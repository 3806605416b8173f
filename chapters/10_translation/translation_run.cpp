// translation_run.cpp — the translation training run: setting up, epochs, saving.
#include "translation_run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "00_tensors/files.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "bleu.hpp"
#include "translator.hpp"

namespace tfm {

namespace fs = std::filesystem;

ModelConfig default_translation_model() {
    ModelConfig c;
    c.N = 3;
    c.d_model = 256;
    c.d_ff = 512;
    c.h = 8;
    c.dropout = 0.1f;
    return c;
}

//! [translation fields]
const FieldTable<TranslationOptions>& TranslationOptions::settings_fields() {
    using O = TranslationOptions;
    static const FieldTable<O> table =
        FieldTable<O>()
            .boolean("subword", &O::subword, "--subword",
                     "one shared SentencePiece vocabulary and tied embeddings")
            .integer("subword_vocab", &O::subword_vocab, 100, 100000, "--subword-vocab",
                     "SentencePiece pieces")
            .integer("min_freq", &O::min_freq, 1, 1000000, "--min-freq",
                     "words seen fewer times are <unk>")
            .integer("max_len", &O::max_len, 3, 4096, "--max-len",
                     "longest pair kept, in ids with <s> and </s>")
            .integer("budget", &O::budget, 16, 1 << 20, "--budget",
                     "padded tokens per batch and side")
            .integer("accumulate", &O::accumulate, 1, 1024, "--accumulate",
                     "batches per optimiser step")
            .number("lr_factor", &O::lr_factor, 0.0, 100.0, "--lr-factor", "Noam factor")
            .integer("warmup", &O::warmup, 1, 1000000, "--warmup", "Noam warm-up steps")
            .number("smoothing", &O::smoothing, 0.0, 0.999, "--smoothing", "label smoothing")
            .number("clip_norm", &O::clip_norm, 0.0, 1e6, "--clip-norm",
                    "clip the gradient norm to this (0: off)")
            .integer("seed", &O::seed, 0, ~std::uint64_t(0));
    return table;
}

const FieldTable<TranslationOptions>& TranslationOptions::length_fields() {
    using O = TranslationOptions;
    static const FieldTable<O> table =
        FieldTable<O>()
            .integer("epochs", &O::epochs, 1, 10000, "--epochs", "epochs in all")
            .integer("keep_snapshots", &O::keep_snapshots, 0, 1000, "--keep",
                     "epochs of weights kept for averaging")
            .integer("bleu_sentences", &O::bleu_sentences, 0, 1000000, "--bleu-sentences",
                     "validation sentences scored per epoch")
            .integer("log_every", &O::log_every, 0, 1000000, "--log-every",
                     "progress lines every this many steps (0: none)");
    return table;
}
//! [translation fields]

namespace {

std::string data_fingerprint(const ParallelText& train) {
    Fingerprint f;
    for (std::size_t i = 0; i < train.size(); ++i) {
        f.add(train.src[i]);
        f.add(train.tgt[i]);
    }
    return f.hex();
}

}  // namespace

// ---- setting up -----------------------------------------------------------------------------

namespace {

// The data as examples and batches, and (a new run) the codecs built from the training
// split; a resumed run's codecs were loaded with its directory. Returns the training
// pairs' fingerprint.
std::string read_translation_data(TranslationRun& r, ModelConfig& config, bool verbose) {
    const TranslationOptions& o = r.options;
    r.train = read_parallel(o.data_dir, "train");
    r.val = read_parallel(o.data_dir, "val");
    const std::string fingerprint = data_fingerprint(r.train);
    if (r.files.resumed()) {
        check_same_data(r.files, fingerprint, "--data " + o.data_dir);
    } else {
        r.codecs = build_codecs(r.train, o.subword, o.min_freq, o.subword_vocab);
        config.src_vocab = r.codecs.src->vocab_size();
        config.tgt_vocab = r.codecs.tgt->vocab_size();
        config.shared_embeddings = o.subword;
    }
    std::size_t skipped_train = 0, skipped_val = 0;
    r.train_examples = make_examples(r.train, r.codecs, o.max_len, skipped_train);
    r.val_examples = make_examples(r.val, r.codecs, o.max_len, skipped_val);
    for (const auto& [examples, text, split] :
         {std::tuple{&r.train_examples, &r.train, "training"},
          std::tuple{&r.val_examples, &r.val, "validation"}}) {
        if (examples->empty()) {
            throw DataError("--max-len " + std::to_string(o.max_len) + ": all " +
                            std::to_string(text->size()) + " " + split +
                            " pairs are longer than that (in ids, with <s> and </s>): nothing "
                            "is left to " +
                            (std::string(split) == "training" ? "train on" : "validate on"));
        }
    }
    Rng val_rng(1);
    r.val_batches = padded_batches(r.val_examples, plan_batches(r.val_examples, o.budget, val_rng));
    if (verbose) {
        std::fprintf(stderr,
                     "data: %zu training pairs (%zu longer than %zu ids skipped), %zu "
                     "validation pairs (%zu skipped)\n",
                     r.train_examples.size(), skipped_train, o.max_len, r.val_examples.size(),
                     skipped_val);
        std::fprintf(stderr,
                     "vocabulary: %s, source %zu, target %zu; <unk> in validation: source "
                     "%.2f%%, target %.2f%%\n",
                     r.codecs.subword ? "shared subwords" : "words", r.codecs.src->vocab_size(),
                     r.codecs.tgt->vocab_size(), 100 * unknown_rate(*r.codecs.src, r.val.src),
                     100 * unknown_rate(*r.codecs.tgt, r.val.tgt));
    }
    return fingerprint;
}

// The model (restored, when resuming), the optimiser, and chapter 08's trainer.
void build_translation_model(TranslationRun& r, const ModelConfig& config, bool verbose) {
    const TranslationOptions& o = r.options;
    r.model = std::make_unique<EncoderDecoder>(config, o.seed);
    r.criterion = std::make_unique<LabelSmoothing>(config.tgt_vocab, kPad, o.smoothing);
    r.cross_entropy = std::make_unique<LabelSmoothing>(config.tgt_vocab, kPad, 0.0f);
    r.adam = std::make_unique<Adam>(r.model->parameters());  // β1 0.9, β2 0.98, ε 1e-9
    if (r.files.resumed()) r.files.restore(model_files(*r.model), *r.adam);
    TrainOptions train_options;
    train_options.accumulate = o.accumulate;
    train_options.clip_norm = o.clip_norm;
    train_options.log_every = verbose ? o.log_every : 0;
    TrainingRun* files = &r.files;
    train_options.on_step = [files](const StepRecord& s) { files->log_step(s); };
    const auto schedule = learning_rate_schedule(r);
    r.trainer = std::make_unique<Trainer>(*r.model, *r.criterion, *r.adam, schedule, train_options);
    r.evaluator = std::make_unique<Trainer>(*r.model, *r.cross_entropy, *r.adam, schedule);
    if (verbose) {
        std::fprintf(stderr,
                     "model: N = %zu, C = %zu, F = %zu, h = %zu, dropout %.2f%s: %zu parameters\n",
                     config.N, config.d_model, config.d_ff, config.h, double(config.dropout),
                     config.shared_embeddings ? ", one shared embedding matrix" : "",
                     count_scalars(r.model->parameters()));
    }
}

}  // namespace

//! [open translation run]
std::unique_ptr<TranslationRun> open_translation_run(const TranslationOptions& options,
                                                     bool verbose, Repair who_repairs) {
    auto run = std::make_unique<TranslationRun>();
    TranslationRun& r = *run;
    TranslationOptions& o = r.options;
    o = options;
    // Chapter 08's checks come first: a run is never replaced unless asked, and a typo
    // in --out must not cost the time of reading the data.
    r.files = TrainingRun::open(o.out_dir, kTranslationRunKind, o.start, "--out", who_repairs);
    ModelConfig config = o.model;
    if (r.files.resumed()) {
        // A resumed run continues with what it was started with: the model and the
        // settings from settings.json, the codecs from vocab/. All of the directory is
        // checked before the data are read: the tensors on disk must agree with the model
        // before one of that size is built, and the vocabularies with its embeddings.
        config = saved_model_config(r.files, config, o.flags_given);
        o = saved_options(r.files, o, o.flags_given);
        check_same_seed(
            options.seed, o.seed,
            std::find(o.flags_given.begin(), o.flags_given.end(), "--seed") != o.flags_given.end());
        check_config_against_files(r.files.layout().model(), config);
        if (r.finished()) return run;  // nothing left to train: no data, no model
        r.codecs = load_codecs(o.out_dir + "/vocab", o.subword);
        check_vocabularies(config, r.codecs, o.out_dir);
        check_saved_codecs(r.files, r.codecs);
    } else {
        // A model the flags cannot build (h must divide C, ...) fails now, not after the
        // data are read and the codecs trained; the codecs will set the vocabulary sizes.
        ModelConfig sizes_unknown = config;
        sizes_unknown.src_vocab = sizes_unknown.tgt_vocab = 1;
        sizes_unknown.validate();
    }
    const std::string fingerprint = read_translation_data(r, config, verbose);  // 1. text to ids
    build_translation_model(r, config, verbose);  // 2. the model and its trainer
    r.settings["model"] = ModelConfig::fields().to_json(config);
    put_options(r.settings, o);
    r.settings["data"] = {{"train_pairs", r.train.size()},
                          {"fingerprint", fingerprint},
                          {"vocabularies", codecs_fingerprint(r.codecs)}};
    return run;
}
//! [open translation run]

void report_finished(const TranslationRun& run) {
    std::fprintf(stderr, "note: %s has trained %zu epochs (--epochs %zu): nothing left to train\n",
                 run.options.out_dir.c_str(), run.files.epochs_completed(), run.options.epochs);
}

// ---- the pieces of an epoch ------------------------------------------------------------------

std::function<double(std::size_t)> learning_rate_schedule(const TranslationRun& run) {
    const std::size_t d_model = run.model->config().d_model;
    const double factor = run.options.lr_factor;
    const std::size_t warmup = run.options.warmup;
    return [=](std::size_t step) { return noam_rate(step, d_model, factor, warmup); };
}

BatchPlan epoch_plan(const TranslationRun& run, std::size_t epoch) {
    Rng data_rng(run.options.seed * 1000003 + epoch);  // the same batches after a resume
    return plan_batches(run.train_examples, run.options.budget, data_rng);
}

namespace {

// Validation BLEU after every epoch. Outputs are capped at the source length + 10 rather
// than + 50: early in training the model rambles until it hits the cap, and every step
// of decoding without a cache re-reads the whole prefix; a trained model stays well
// inside either cap, so the scores agree once they matter.
double validation_bleu(TranslationRun& run) {
    const std::size_t count = std::min(run.options.bleu_sentences, run.val.size());
    if (count == 0) return 0.0;
    std::vector<std::vector<std::int64_t>> sources;
    for (std::size_t i = 0; i < count; ++i)
        sources.push_back(run.codecs.src->encode(run.val.src[i]));
    std::vector<std::string> hyps;
    for (const auto& ids : greedy_translate(*run.model, sources, 4096, 10))
        hyps.push_back(run.codecs.tgt->decode(ids));
    const std::vector<std::string> refs(run.val.tgt.begin(),
                                        run.val.tgt.begin() + std::ptrdiff_t(count));
    return corpus_bleu(hyps, refs).score;
}

// Hard-links (or, across file systems, copies) every file of `from` into a new `to`.
void link_directory(const fs::path& from, const fs::path& to) {
    fs::create_directory(to);
    for (const fs::directory_entry& e : fs::directory_iterator(from)) {
        if (!e.is_regular_file()) continue;
        std::error_code ec;
        fs::create_hard_link(e.path(), to / e.path().filename(), ec);
        if (ec) fs::copy_file(e.path(), to / e.path().filename());
    }
    fsync_directory(to.string());  // the new names reach the disk before the save is swapped in
}

std::string snapshot_name(std::size_t epoch) {
    char name[32];
    std::snprintf(name, sizeof name, "epoch_%03zu", epoch);
    return name;
}

//! [save epoch]
void save_epoch(TranslationRun& run, const Evaluation& evaluation) {
    const TranslationOptions& o = run.options;
    EncoderDecoder& model = *run.model;
    // The older snapshots come from this run's last save (never from a run that
    // --overwrite is replacing).
    const std::vector<std::string> previous =
        run.files.has_save() ? run_snapshots(o.out_dir) : std::vector<std::string>{};
    run.files.save(model_files(model), *run.adam, run.settings, [&](const std::string& tmp) {
        write_translator_files(tmp, run.codecs, o.max_len);
        // The last keep_snapshots epochs' weights, all by hard links (no copy): the older
        // ones from the previous save, this epoch's from the model/ just written — a
        // checkpoint directory like any other. No file is ever changed in place (every
        // save writes a new directory), so files that share their data stay equal.
        fs::create_directory(tmp + "/snapshots");
        const std::size_t keep_old = o.keep_snapshots > 0 ? o.keep_snapshots - 1 : 0;
        for (std::size_t i = previous.size() > keep_old ? previous.size() - keep_old : 0;
             i < previous.size(); ++i) {
            link_directory(previous[i],
                           fs::path(tmp) / "snapshots" / fs::path(previous[i]).filename());
        }
        if (o.keep_snapshots > 0) {
            link_directory(RunLayout{tmp}.model(),
                           fs::path(tmp) / "snapshots" / snapshot_name(evaluation.epoch));
        }
    });
}
//! [save epoch]

void print_epoch(const TranslationRun& run, const Evaluation& e, double tokens_per_second) {
    const std::vector<Evaluation>& all = run.files.evaluations();
    const std::size_t recent = std::min<std::size_t>(3, all.size());
    double mean = 0.0;
    for (std::size_t i = all.size() - recent; i < all.size(); ++i) mean += all[i].seconds;
    mean = recent ? mean / double(recent) : e.seconds;
    std::fprintf(stderr,
                 "epoch %2zu/%zu | train loss %.3f | val loss %.3f (perplexity %.1f) | val BLEU "
                 "%5.2f | %.0f tokens/s | %.0f s | about %.0f min left\n",
                 e.epoch, run.options.epochs, e.train_loss, e.val_loss, std::exp(e.val_loss),
                 e.score, tokens_per_second, e.seconds,
                 mean * double(run.options.epochs - std::min(run.options.epochs, e.epoch)) / 60.0);
}

}  // namespace

//! [finish epoch]
Evaluation finish_epoch(TranslationRun& run, std::size_t epoch, const EpochResult& training,
                        std::chrono::steady_clock::time_point start) {
    Evaluation e;
    e.epoch = epoch;
    e.step = run.adam->steps();
    e.train_loss = training.loss;
    e.train_seconds = training.seconds;
    e.val_loss = run.evaluator->run_epoch(run.val_batches, false).loss;  // dropout off, no step
    e.has_score = run.options.bleu_sentences > 0;
    e.score = validation_bleu(run);
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.files.record(e);
    save_epoch(run, e);
    print_epoch(run, e, double(training.tokens) / training.seconds);
    return e;
}
//! [finish epoch]

// ---- the whole run -----------------------------------------------------------------------------

//! [train translation]
std::vector<Evaluation> train_translation(const TranslationOptions& options) {
    // Data, codecs, model, optimiser — or the run being resumed.
    const std::unique_ptr<TranslationRun> run = open_translation_run(options);
    const TranslationOptions& o = run->options;
    if (run->finished()) report_finished(*run);
    // Epochs: train, then validate, save and report (finish_epoch).
    for (std::size_t epoch = run->files.epochs_completed() + 1; epoch <= o.epochs; ++epoch) {
        if (o.before_epoch) o.before_epoch(epoch, *run->model);
        const auto start = std::chrono::steady_clock::now();
        const std::vector<Batch> batches =
            padded_batches(run->train_examples, epoch_plan(*run, epoch));
        try {
            const EpochResult trained = run->trainer->run_epoch(batches, true, epoch);
            finish_epoch(*run, epoch, trained, start);
        } catch (const TrainingDiverged& e) {
            // A loss that is not a number (in training or validation) stops the run before
            // this epoch is saved; say what the directory holds.
            throw TrainingDiverged(std::string(e.what()) + "; " + run->files.what_is_saved());
        }
    }
    if (run->model) run->model->train(false);
    return run->files.evaluations();
}
//! [train translation]

TranslationOptions made_up_run_options(const std::string& data_dir, const std::string& out_dir,
                                       std::uint64_t seed) {
    TranslationOptions o;
    o.data_dir = data_dir;
    o.out_dir = out_dir;
    o.model.N = 1;
    o.model.d_model = 64;
    o.model.d_ff = 128;
    o.model.h = 4;
    o.model.dropout = 0.0f;  // a rule, not noisy data: nothing to regularise
    o.epochs = 10;
    o.budget = 600;  // batches of several dozen of these short sentences
    o.warmup = 40;
    o.lr_factor = 0.5;
    o.bleu_sentences = 0;
    o.log_every = 0;
    o.seed = seed;
    return o;
}

}  // namespace tfm
