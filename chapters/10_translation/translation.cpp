// translation.cpp — codecs, examples, greedy translation, the training run, averaging.
#include "translation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>

#include <nlohmann/json.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/files.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "07_encoder_decoder/json_fields.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "08_training/training_state.hpp"
#include "bleu.hpp"
#include "tokenizer.hpp"

namespace tfm {

namespace fs = std::filesystem;

// ---- codecs and examples ----------------------------------------------------------------

//! [build codecs]
Codecs build_codecs(const ParallelText& train, bool subword, std::size_t min_freq,
                    std::size_t subword_vocab) {
    Codecs codecs;
    codecs.subword = subword;
    if (subword) {
        // One model for both languages: German and English sentences together.
        std::vector<std::string> both = train.src;
        both.insert(both.end(), train.tgt.begin(), train.tgt.end());
        std::shared_ptr<const TextCodec> shared = SubwordCodec::train(both, subword_vocab);
        codecs.src = codecs.tgt = shared;
        return codecs;
    }
    // One vocabulary per language, from the training split only.
    auto vocabulary_of = [&](const std::vector<std::string>& lines) {
        std::vector<std::vector<std::string>> tokens;
        tokens.reserve(lines.size());
        for (const std::string& line : lines) tokens.push_back(tokenize(line));
        return Vocabulary::build(tokens, min_freq);
    };
    codecs.src = std::make_shared<WordCodec>(vocabulary_of(train.src));
    codecs.tgt = std::make_shared<WordCodec>(vocabulary_of(train.tgt));
    return codecs;
}
//! [build codecs]

void save_codecs(const std::string& dir, const Codecs& codecs) {
    if (codecs.subword) {
        codecs.src->save(dir, "shared");
    } else {
        codecs.src->save(dir, "src");
        codecs.tgt->save(dir, "tgt");
    }
}

Codecs load_codecs(const std::string& dir, bool subword) {
    Codecs codecs;
    codecs.subword = subword;
    if (subword) {
        codecs.src = codecs.tgt =
            std::shared_ptr<const TextCodec>(SubwordCodec::load(dir, "shared"));
    } else {
        codecs.src = std::shared_ptr<const TextCodec>(WordCodec::load(dir, "src"));
        codecs.tgt = std::shared_ptr<const TextCodec>(WordCodec::load(dir, "tgt"));
    }
    return codecs;
}

namespace {
std::vector<std::int64_t> wrapped(std::vector<std::int64_t> ids) {
    ids.insert(ids.begin(), kBos);
    ids.push_back(kEos);
    return ids;
}
}  // namespace

std::vector<Example> make_examples(const ParallelText& text, const Codecs& codecs,
                                   std::size_t max_len, std::size_t& skipped) {
    std::vector<Example> examples;
    examples.reserve(text.size());
    skipped = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        Example e{wrapped(codecs.src->encode(text.src[i])),
                  wrapped(codecs.tgt->encode(text.tgt[i]))};
        if (e.src.size() > max_len || e.tgt.size() > max_len) {
            ++skipped;  // counted, and reported by the caller
            continue;
        }
        examples.push_back(std::move(e));
    }
    return examples;
}

// ---- greedy translation ---------------------------------------------------------------------

//! [greedy translate]
std::vector<std::vector<std::int64_t>> greedy_translate(
    EncoderDecoder& model, const std::vector<std::vector<std::int64_t>>& sources,
    std::size_t batch_tokens, std::size_t extra) {
    model.train(false);
    const std::size_t positions = model.tgt_embed.position.max_len();
    // Sentences of similar length decode together: sort by length, then cut batches.
    std::vector<std::size_t> order(sources.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return sources[a].size() < sources[b].size();
    });
    std::vector<std::vector<std::int64_t>> results(sources.size());
    std::size_t first = 0;
    while (first < order.size()) {
        std::size_t last = first + 1;
        while (last < order.size() &&
               (last - first + 1) * (sources[order[last]].size() + 2) <= batch_tokens)
            ++last;
        const std::size_t B = last - first, M = sources[order[last - 1]].size() + 2;
        if (M > positions) {
            throw std::length_error("a sentence of " + std::to_string(M - 2) +
                                    " tokens is longer than the model's " +
                                    std::to_string(positions - 2) + " positions allow");
        }
        xt::xtensor<std::int64_t, 2> src_BM = xt::xtensor<std::int64_t, 2>::from_shape({B, M});
        src_BM.fill(kPad);
        // Each sentence may write at most its source length + `extra` tokens (</s> included).
        std::vector<std::size_t> limit(B);
        for (std::size_t b = 0; b < B; ++b) {
            const std::vector<std::int64_t> ids = wrapped(sources[order[first + b]]);
            std::copy(ids.begin(), ids.end(), &src_BM(b, 0));
            limit[b] = std::min(ids.size() - 2 + extra, positions - 1);
        }
        const std::size_t max_len = 1 + *std::max_element(limit.begin(), limit.end());
        const xt::xtensor<bool, 3> src_mask_B1M = padding_mask(src_BM, kPad);
        const Tensor<3> memory_BMC = model.encode(src_BM, src_mask_B1M);
        // ys grows by one column per step; a sentence is done once it has written </s>.
        xt::xtensor<std::int64_t, 2> ys_BL = xt::xtensor<std::int64_t, 2>::from_shape({B, max_len});
        ys_BL.fill(kPad);
        xt::view(ys_BL, xt::all(), 0) = kBos;
        std::vector<bool> done(B, false);
        std::size_t open = B, length = 1;
        while (open > 0) {
            const xt::xtensor<std::int64_t, 2> prefix_BL =
                xt::view(ys_BL, xt::all(), xt::range(0, length));
            const Tensor<3> out_BLC =
                model.decode(memory_BMC, src_mask_B1M, prefix_BL, subsequent_mask(length));
            const Tensor<3> last_B1C =
                xt::view(out_BLC, xt::all(), xt::range(length - 1, length), xt::all());
            const Tensor<3> logp_B1V = model.generator.forward(last_B1C);
            const std::size_t V = logp_B1V.shape()[2];
            for (std::size_t b = 0; b < B; ++b) {
                if (done[b])
                    continue;  // it stays in the batch (chapter 11 removes it), its output is
                               // ignored
                const float* row = &logp_B1V(b, 0, 0);
                const std::int64_t best = std::int64_t(std::max_element(row, row + V) - row);
                ys_BL(b, length) = best;
                if (best == kEos || length == limit[b]) {
                    done[b] = true;
                    --open;
                }
            }
            ++length;
        }
        for (std::size_t b = 0; b < B; ++b) {
            std::vector<std::int64_t>& out = results[order[first + b]];
            for (std::size_t t = 1; t <= limit[b] && ys_BL(b, t) != kEos; ++t)
                out.push_back(ys_BL(b, t));
        }
        first = last;
    }
    return results;
}
//! [greedy translate]

std::vector<std::string> Translator::translate(const std::vector<std::string>& sentences,
                                               std::size_t batch_tokens) {
    std::vector<std::vector<std::int64_t>> sources;
    sources.reserve(sentences.size());
    for (const std::string& s : sentences) sources.push_back(codecs.src->encode(s));
    std::vector<std::string> out;
    for (const auto& ids : greedy_translate(model, sources, batch_tokens))
        out.push_back(codecs.tgt->decode(ids));
    return out;
}

// ---- translation.json ---------------------------------------------------------------------------

namespace {

nlohmann::json setup_json(const Codecs& codecs, std::size_t max_len,
                          const nlohmann::json& training) {
    nlohmann::json j;
    j["tokenization"] = codecs.subword ? "subword" : "word";
    j["max_len"] = max_len;
    if (!training.is_null()) j["training"] = training;
    return j;
}

struct Setup {
    bool subword = false;
    std::size_t max_len = 0;
    nlohmann::json training;
};

Setup read_setup(const std::string& dir) {
    const std::string path = dir + "/translation.json";
    Setup s;
    try {
        const nlohmann::json j = json_parse(read_file(path, 1 << 20), path);
        const std::string tokenization = json_string(j, "tokenization", path);
        if (tokenization != "word" && tokenization != "subword") {
            throw JsonFieldError(path +
                                 ": field 'tokenization' must be \"word\" or \"subword\", got \"" +
                                 tokenization + "\"");
        }
        s.subword = tokenization == "subword";
        s.max_len = json_integer(j, "max_len", path, 3, 1 << 20);
        if (j.contains("training")) s.training = j.at("training");
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    } catch (const FileError& e) {
        throw CheckpointError(std::string(e.what()) +
                              " (a translation checkpoint has a translation.json)");
    }
    return s;
}

nlohmann::json training_json(const TranslationOptions& o) {
    nlohmann::json t;
    t["budget"] = o.budget;
    t["accumulate"] = o.accumulate;
    t["lr_factor"] = o.lr_factor;
    t["warmup"] = o.warmup;
    t["smoothing"] = o.smoothing;
    t["clip_norm"] = o.clip_norm;
    t["seed"] = o.seed;
    t["min_freq"] = o.min_freq;
    t["subword_vocab"] = o.subword_vocab;
    return t;
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
}

std::string snapshot_name(std::size_t epoch) {
    char name[32];
    std::snprintf(name, sizeof name, "epoch_%03zu", epoch);
    return name;
}

}  // namespace

std::vector<std::string> run_snapshots(const std::string& run_dir) {
    std::vector<std::string> dirs;
    std::error_code ec;
    const fs::path root = fs::path(run_dir) / "snapshots";
    if (!fs::is_directory(root, ec)) return dirs;
    for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
        if (e.is_directory() && e.path().filename().string().rfind("epoch_", 0) == 0)
            dirs.push_back(e.path().string());
    }
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

Translator load_translator(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw CheckpointError(dir + ": no such checkpoint directory");
    const Setup setup = read_setup(dir);
    if (!fs::is_directory(dir + "/vocab", ec)) {
        throw CheckpointError(
            dir + ": the checkpoint has no vocab/ directory: it cannot turn text into ids");
    }
    Codecs codecs;
    try {
        codecs = load_codecs(dir + "/vocab", setup.subword);
    } catch (const DataError& e) {
        throw CheckpointError(e.what());
    }
    EncoderDecoder model = load_checkpoint(dir + "/model");
    const ModelConfig& c = model.config();
    if (c.src_vocab != codecs.src->vocab_size() || c.tgt_vocab != codecs.tgt->vocab_size()) {
        throw CheckpointError(dir + ": the model's vocabularies (" + std::to_string(c.src_vocab) +
                              ", " + std::to_string(c.tgt_vocab) + ") do not match vocab/ (" +
                              std::to_string(codecs.src->vocab_size()) + ", " +
                              std::to_string(codecs.tgt->vocab_size()) + ")");
    }
    return Translator{std::move(model), codecs, setup.max_len};
}

void save_translation_model(const std::string& dir, EncoderDecoder& model, const Codecs& codecs,
                            std::size_t max_len) {
    replace_directory(dir, kTranslationModelKind, [&](const std::string& tmp) {
        fs::create_directory(tmp + "/model");
        fs::create_directory(tmp + "/vocab");
        write_checkpoint_files(tmp + "/model", model);
        save_codecs(tmp + "/vocab", codecs);
        write_file_atomically(tmp + "/translation.json",
                              setup_json(codecs, max_len, nullptr).dump(2) + "\n");
    });
}

// ---- averaging ----------------------------------------------------------------------------------

//! [average]
EncoderDecoder average_checkpoints(const std::vector<std::string>& model_dirs) {
    if (model_dirs.empty()) throw std::invalid_argument("average: no checkpoints given");
    EncoderDecoder mean = load_checkpoint(model_dirs[0]);
    const ParameterList params = mean.parameters();
    // Sum in double, so that the order of the checkpoints does not change the result.
    std::vector<xt::xarray<double>> sums;
    for (const Parameter* p : params) sums.push_back(xt::cast<double>(p->value));
    for (std::size_t k = 1; k < model_dirs.size(); ++k) {
        const ModelConfig config = load_checkpoint_config(model_dirs[k]);
        if (config != mean.config()) {
            throw CheckpointError(model_dirs[k] + ": a different model configuration from " +
                                  model_dirs[0] +
                                  "; only checkpoints of one model can be averaged");
        }
        EncoderDecoder other(config, 0);
        load_checkpoint_into(model_dirs[k], other);
        const ParameterList q = other.parameters();
        for (std::size_t i = 0; i < params.size(); ++i) sums[i] += xt::cast<double>(q[i]->value);
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        params[i]->value = xt::cast<float>(sums[i] / double(model_dirs.size()));
    }
    return mean;
}
//! [average]

// ---- the training run ---------------------------------------------------------------------------

namespace {

std::vector<std::vector<std::int64_t>> source_ids(const Codecs& codecs,
                                                  const std::vector<std::string>& lines,
                                                  std::size_t count) {
    std::vector<std::vector<std::int64_t>> ids;
    for (std::size_t i = 0; i < std::min(count, lines.size()); ++i)
        ids.push_back(codecs.src->encode(lines[i]));
    return ids;
}

// Validation BLEU after every epoch. Outputs are capped at the source length + 10 rather
// than + 50: early in training the model rambles until it hits the cap, and every step
// of decoding without a cache re-reads the whole prefix; a trained model stays well
// inside either cap, so the scores agree once they matter.
double greedy_validation_bleu(EncoderDecoder& model, const Codecs& codecs, const ParallelText& val,
                              std::size_t count) {
    if (count == 0) return 0.0;
    std::vector<std::string> hyps, refs;
    for (const auto& ids : greedy_translate(model, source_ids(codecs, val.src, count), 4096, 10)) {
        hyps.push_back(codecs.tgt->decode(ids));
    }
    refs.assign(val.tgt.begin(), val.tgt.begin() + std::ptrdiff_t(hyps.size()));
    return corpus_bleu(hyps, refs).score;
}

// A resumed run continues with the settings it was started with (translation.json).
void apply_saved_training(TranslationOptions& o, const nlohmann::json& t,
                          const std::string& source) {
    try {
        o.budget = json_integer(t, "budget", source, 1, 1 << 24);
        o.accumulate = json_integer(t, "accumulate", source, 1, 1 << 16);
        o.lr_factor = json_number(t, "lr_factor", source, 0.0, 1e6);
        o.warmup = json_integer(t, "warmup", source, 1, 1 << 30);
        o.smoothing = float(json_number(t, "smoothing", source, 0.0, 0.999));
        o.clip_norm = json_number(t, "clip_norm", source, 0.0, 1e30);
        o.seed = json_integer(t, "seed", source, 0, ~std::uint64_t(0));
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    }
}

}  // namespace

// ---- the run, in pieces ------------------------------------------------------------------------

struct TranslationRun::State {
    TranslationOptions o;
    ParallelText train, val;
    Codecs codecs;
    std::vector<Example> train_examples, val_examples;
    std::unique_ptr<EncoderDecoder> model;
    std::unique_ptr<LabelSmoothing> criterion, cross_entropy;
    std::unique_ptr<Adam> adam;
    std::unique_ptr<Trainer> trainer, evaluator;
    std::vector<Batch> val_batches;
    RunState run;
    TranslationResult result;
    std::string steps_csv = "epoch,step,loss,lr,tokens\n";
    nlohmann::json training;
};

TranslationRun::TranslationRun(const TranslationOptions& options, bool verbose)
    : s_(std::make_unique<State>()) {
    State& st = *s_;
    TranslationOptions& o = st.o;
    o = options;
    if (o.out_dir.empty()) throw std::invalid_argument("train: --out RUN is required");
    // Check the output before the work: a typo must not cost an epoch.
    if (!o.resume) check_output_directory(o.out_dir, kTrainingRunKind, "--out");
    st.train = read_parallel(o.data_dir, "train");
    st.val = read_parallel(o.data_dir, "val");

    // 1. Text to ids: the codecs come from the training split (or from the run).
    ModelConfig config = o.model;
    if (o.resume) {
        const std::string recovered = recover_directory(o.out_dir);
        if (!recovered.empty() && verbose) std::printf("note: %s\n", recovered.c_str());
        const Setup saved = read_setup(o.out_dir);
        apply_saved_training(o, saved.training, o.out_dir + "/translation.json");
        o.max_len = saved.max_len;
        o.subword = saved.subword;
        st.codecs = load_codecs(o.out_dir + "/vocab", saved.subword);
        config = load_checkpoint_config(o.out_dir + "/model");
    } else {
        st.codecs = build_codecs(st.train, o.subword, o.min_freq, o.subword_vocab);
        config.src_vocab = st.codecs.src->vocab_size();
        config.tgt_vocab = st.codecs.tgt->vocab_size();
        config.shared_embeddings = o.subword;
    }
    std::size_t skipped_train = 0, skipped_val = 0;
    st.train_examples = make_examples(st.train, st.codecs, o.max_len, skipped_train);
    st.val_examples = make_examples(st.val, st.codecs, o.max_len, skipped_val);
    if (verbose) {
        std::printf(
            "data: %zu training pairs (%zu longer than %zu ids skipped), %zu validation pairs (%zu "
            "skipped)\n",
            st.train_examples.size(), skipped_train, o.max_len, st.val_examples.size(),
            skipped_val);
        std::printf(
            "vocabulary: %s, source %zu, target %zu; <unk> in validation: source %.2f%%, target "
            "%.2f%%\n",
            st.codecs.subword ? "shared subwords" : "words", st.codecs.src->vocab_size(),
            st.codecs.tgt->vocab_size(), 100 * unknown_rate(*st.codecs.src, st.val.src),
            100 * unknown_rate(*st.codecs.tgt, st.val.tgt));
    }

    // 2. The model, the optimiser, and chapter 08's trainer.
    st.model = std::make_unique<EncoderDecoder>(config, o.seed);
    st.criterion = std::make_unique<LabelSmoothing>(config.tgt_vocab, kPad, o.smoothing);
    st.cross_entropy = std::make_unique<LabelSmoothing>(config.tgt_vocab, kPad,
                                                        0.0f);  // validation: plain cross-entropy
    st.adam = std::make_unique<Adam>(st.model->parameters());   // β1 0.9, β2 0.98, ε 1e-9
    if (o.resume) {
        st.run = load_training_run(o.out_dir, *st.model, *st.adam);
        st.steps_csv = read_file(o.out_dir + "/steps.csv", std::size_t(256) << 20);
    }
    TrainOptions train_options;
    train_options.accumulate = o.accumulate;
    train_options.clip_norm = o.clip_norm;
    train_options.log_every = verbose ? o.log_every : 0;
    train_options.on_step = [this](std::size_t epoch, std::size_t step, double loss, double lr,
                                   std::size_t tokens) { log_step(epoch, step, loss, lr, tokens); };
    st.trainer =
        std::make_unique<Trainer>(*st.model, *st.criterion, *st.adam, schedule(), train_options);
    st.evaluator = std::make_unique<Trainer>(*st.model, *st.cross_entropy, *st.adam,
                                             schedule());  // never steps
    if (verbose) {
        std::printf("model: N = %zu, C = %zu, F = %zu, h = %zu, dropout %.2f%s: %zu parameters\n",
                    config.N, config.d_model, config.d_ff, config.h, double(config.dropout),
                    config.shared_embeddings ? ", one shared embedding matrix" : "",
                    count_scalars(st.model->parameters()));
    }
    Rng val_rng(1);
    for (const auto& indices : plan_batches(st.val_examples, o.budget, val_rng)) {
        st.val_batches.push_back(make_padded_batch(st.val_examples, indices));
    }
    auto list = [&](const char* key) {
        return st.run.extra.contains(key) ? st.run.extra.at(key).get<std::vector<double>>()
                                          : std::vector<double>{};
    };
    st.result.val_bleu = list("val_bleu");
    st.result.seconds = list("seconds");
    st.training = training_json(o);
}

TranslationRun::~TranslationRun() = default;

const TranslationOptions& TranslationRun::options() const {
    return s_->o;
}
EncoderDecoder& TranslationRun::model() {
    return *s_->model;
}
Adam& TranslationRun::optimizer() {
    return *s_->adam;
}
Trainer& TranslationRun::trainer() {
    return *s_->trainer;
}
const Codecs& TranslationRun::codecs() const {
    return s_->codecs;
}
const std::vector<Example>& TranslationRun::train_examples() const {
    return s_->train_examples;
}
std::size_t TranslationRun::completed_epochs() const {
    return s_->run.epoch;
}

std::function<double(std::size_t)> TranslationRun::schedule() const {
    const std::size_t d_model = s_->model->config().d_model;
    const double factor = s_->o.lr_factor;
    const std::size_t warmup = s_->o.warmup;
    return [=](std::size_t step) { return noam_rate(step, d_model, factor, warmup); };
}

BatchPlan TranslationRun::epoch_plan(std::size_t epoch) const {
    Rng data_rng(s_->o.seed * 1000003 + epoch);  // the same batches after a resume
    return plan_batches(s_->train_examples, s_->o.budget, data_rng);
}

void TranslationRun::log_step(std::size_t epoch, std::size_t step, double loss, double lr,
                              std::size_t tokens) {
    s_->steps_csv += std::to_string(epoch) + "," + std::to_string(step) + "," +
                     std::to_string(loss) + "," + std::to_string(lr) + "," +
                     std::to_string(tokens) + "\n";
}

double TranslationRun::validation_loss() {
    return s_->evaluator->run_epoch(s_->val_batches, false).loss;
}

double TranslationRun::validation_bleu() {
    return greedy_validation_bleu(*s_->model, s_->codecs, s_->val, s_->o.bleu_sentences);
}

void TranslationRun::finish_epoch(std::size_t epoch, double train_loss, double val_loss,
                                  double bleu, double seconds, bool save) {
    State& st = *s_;
    const TranslationOptions& o = st.o;
    st.run.epoch = epoch;
    st.run.train_loss.push_back(train_loss);
    st.run.eval_loss.push_back(val_loss);
    st.result.val_bleu.push_back(bleu);
    st.result.seconds.push_back(seconds);
    st.run.extra["val_bleu"] = st.result.val_bleu;
    st.run.extra["seconds"] = st.result.seconds;
    if (!save) return;
    EncoderDecoder& model = *st.model;
    const std::vector<std::string> previous = run_snapshots(o.out_dir);
    save_training_run(o.out_dir, model, *st.adam, st.run, [&](const std::string& tmp) {
        fs::create_directory(tmp + "/vocab");
        save_codecs(tmp + "/vocab", st.codecs);
        write_file_atomically(tmp + "/translation.json",
                              setup_json(st.codecs, o.max_len, st.training).dump(2) + "\n");
        write_file_atomically(tmp + "/steps.csv", st.steps_csv);
        // The last keep_snapshots epochs' weights: the older ones carried over by hard
        // links (no copy), this epoch's written fresh.
        fs::create_directory(tmp + "/snapshots");
        const std::size_t keep_old = o.keep_snapshots > 0 ? o.keep_snapshots - 1 : 0;
        for (std::size_t i = previous.size() > keep_old ? previous.size() - keep_old : 0;
             i < previous.size(); ++i) {
            link_directory(previous[i],
                           fs::path(tmp) / "snapshots" / fs::path(previous[i]).filename());
        }
        if (o.keep_snapshots > 0) {
            const std::string snapshot = tmp + "/snapshots/" + snapshot_name(epoch);
            fs::create_directory(snapshot);
            write_checkpoint_files(snapshot, model);
        }
    });
}

void TranslationRun::print_epoch(std::size_t epoch, double train_loss, double val_loss, double bleu,
                                 double tokens_per_second, double seconds) const {
    const auto& s = s_->result.seconds;
    const std::size_t recent = std::min<std::size_t>(3, s.size());
    const double mean =
        recent ? std::accumulate(s.end() - std::ptrdiff_t(recent), s.end(), 0.0) / double(recent)
               : 0.0;
    std::printf(
        "epoch %2zu/%zu | train loss %.3f | val loss %.3f (perplexity %.1f) | val BLEU %5.2f | "
        "%.0f tokens/s | "
        "%.0f s | about %.0f min left\n",
        epoch, s_->o.epochs, train_loss, val_loss, std::exp(val_loss), bleu, tokens_per_second,
        seconds, mean * double(s_->o.epochs - epoch) / 60.0);
    std::fflush(stdout);
}

TranslationResult TranslationRun::result() const {
    TranslationResult r = s_->result;
    r.train_loss = s_->run.train_loss;
    r.val_loss = s_->run.eval_loss;
    return r;
}

//! [train translation]
TranslationResult train_translation(const TranslationOptions& options) {
    TranslationRun run(options);  // data, codecs, model, optimiser — or the run being resumed
    const TranslationOptions& o = run.options();
    // Epochs: train, validate, save.
    for (std::size_t epoch = run.completed_epochs() + 1; epoch <= o.epochs; ++epoch) {
        if (o.before_epoch) o.before_epoch(epoch, run.model());
        const auto start = std::chrono::steady_clock::now();
        std::vector<Batch> batches;
        for (const auto& indices : run.epoch_plan(epoch))
            batches.push_back(make_padded_batch(run.train_examples(), indices));
        const EpochResult tr =
            run.trainer().run_epoch(batches, true, epoch);  // throws on NaN: nothing saved
        const double val_loss = run.validation_loss();
        const double bleu = run.validation_bleu();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        run.finish_epoch(epoch, tr.loss, val_loss, bleu, seconds);
        run.print_epoch(epoch, tr.loss, val_loss, bleu, double(tr.tokens) / tr.seconds, seconds);
    }
    run.model().train(false);
    return run.result();
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
