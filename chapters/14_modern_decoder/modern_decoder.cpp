// modern_decoder.cpp — the modern decoder: configuration, blocks, the model, its cache,
// its files, and the loss at each position.
#include "modern_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <xtensor/xview.hpp>

#include "00_tensors/files.hpp"
#include "07_encoder_decoder/config_fields.hpp"
#include "07_encoder_decoder/config_limits.hpp"
#include "07_encoder_decoder/parameter_files.hpp"
#include "11_decoding/kv_cache.hpp"
#include "12_language_model/lm_training.hpp"

namespace tfm {

// ---- configuration ----------------------------------------------------------------------

//! [modern fields]
const FieldTable<ModernConfig>& ModernConfig::fields() {
    static const FieldTable<ModernConfig> table =
        FieldTable<ModernConfig>()
            .integer("vocab", &ModernConfig::vocab, 3, kMaxVocab)
            .integer("block_size", &ModernConfig::block_size, 1, 1 << 16, "--block-size",
                     "the context the model trains on")
            .integer("n_layer", &ModernConfig::n_layer, 1, kMaxLayers, "--layers", "blocks")
            .integer("n_head", &ModernConfig::n_head, 1, kMaxWidth, "--heads", "query heads H")
            .integer("n_kv_head", &ModernConfig::n_kv_head, 1, kMaxWidth, "--kv-heads",
                     "key/value heads G (H: multi-head, 1: multi-query)")
            .integer("n_embd", &ModernConfig::n_embd, 2, kMaxWidth, "--d-model", "C, the width")
            .integer("ffn_hidden", &ModernConfig::ffn_hidden, 0, 4 * kMaxWidth, "--ffn-hidden",
                     "F (0: as wide as gives chapter 12's GPT's parameter count)")
            .text("position", &ModernConfig::position, {"rope", "learned"}, "--position",
                  "rotary positions, or a learned table as the GPT's")
            .text("norm", &ModernConfig::norm, {"rms", "layer"}, "--norm",
                  "RMSNorm, or the GPT's LayerNorm")
            .text("mlp", &ModernConfig::mlp, {"swiglu", "gelu"}, "--mlp",
                  "SwiGLU, or the GPT's GELU network")
            .number("rope_base", &ModernConfig::rope_base, 2.0, 1e9, "--rope-base",
                    "RoPE's base: pair i turns by base^(-2i/K) per position");
    return table;
}
//! [modern fields]

std::size_t ModernConfig::gpt_parameter_count() const {
    const std::size_t C = n_embd;
    // Tables, N blocks (attention 4C², feed-forward 2·C·4C, two gains), the final gain.
    return vocab * C + block_size * C + n_layer * (12 * C * C + 2 * C) + C;
}

//! [parameter count]
std::size_t ModernConfig::parameter_count() const {
    const std::size_t C = n_embd, kv = C / n_head * n_kv_head, F = hidden();
    const std::size_t matrices = mlp == "swiglu" ? 3 : 2;
    const std::size_t block = 2 * C                // two norm gains
                              + 2 * C * C          // W_Q, W_O
                              + 2 * C * kv         // W_K, W_V: G heads of K
                              + matrices * C * F;  // the feed-forward network
    return vocab * C + (position == "learned" ? block_size * C : 0) + n_layer * block + C;
}

std::size_t ModernConfig::hidden() const {
    if (ffn_hidden > 0) return ffn_hidden;
    // Everything but the feed-forward network, then F from what chapter 12's GPT has left.
    ModernConfig without = *this;
    without.ffn_hidden = 1;
    const double matrices = mlp == "swiglu" ? 3.0 : 2.0;
    const double rest = double(without.parameter_count()) - double(n_layer) * matrices * n_embd;
    const double F = (double(gpt_parameter_count()) - rest) / (double(n_layer) * matrices * n_embd);
    return F < 1.0 ? 0 : std::size_t(std::lround(F));
}
//! [parameter count]

void ModernConfig::validate() const {
    auto need = [](bool ok, const std::string& what) {
        if (!ok) throw std::invalid_argument("modern decoder config: " + what);
    };
    const std::string range = fields().check(*this);
    need(range.empty(), range);
    need(n_embd % n_head == 0,
         "n_head = " + std::to_string(n_head) + " must divide n_embd = " + std::to_string(n_embd));
    need(n_head % n_kv_head == 0, "n_kv_head = " + std::to_string(n_kv_head) +
                                      " must divide n_head = " + std::to_string(n_head));
    need(position != "rope" || (n_embd / n_head) % 2 == 0,
         "RoPE turns pairs of channels: the head size n_embd / n_head = " +
             std::to_string(n_embd / n_head) + " must be even");
    need(hidden() > 0, "no width is left for the feed-forward network: give --ffn-hidden");
}

std::string ModernConfig::to_json() const {
    return fields().to_json(*this).dump(2) + "\n";
}

ModernConfig ModernConfig::from_json(const std::string& text, const std::string& source) {
    return parse_model_config<ModernConfig>(text, source);
}

bool ModernConfig::operator==(const ModernConfig& o) const {
    return fields().difference(*this, o).empty();
}

ModernConfig gpt_equivalent(const GPTConfig& gpt) {
    ModernConfig c;
    c.vocab = gpt.vocab;
    c.block_size = gpt.block_size;
    c.n_layer = gpt.n_layer;
    c.n_head = c.n_kv_head = gpt.n_head;
    c.n_embd = gpt.n_embd;
    c.ffn_hidden = 4 * gpt.n_embd;
    c.position = "learned";
    c.norm = "layer";
    c.mlp = "gelu";
    return c;
}

// ---- the blocks ---------------------------------------------------------------------------

GeluMLP::GeluMLP(std::size_t d_model, std::size_t hidden, Rng& rng, const std::string& prefix)
    : up_proj(d_model, hidden, rng, prefix + "up_proj.", false),
      down_proj(hidden, d_model, rng, prefix + "down_proj.", false) {}

Tensor<3> GeluMLP::forward(const Tensor<3>& x_BLC) {
    h_BLF_ = up_proj.forward(x_BLC);
    return down_proj.forward(gelu(h_BLF_));
}

Tensor<3> GeluMLP::backward(const Tensor<3>& dy_BLC) {
    return up_proj.backward(gelu_backward(h_BLF_, down_proj.backward(dy_BLC)));
}

ParameterList GeluMLP::parameters() {
    ParameterList p = up_proj.parameters();
    append(p, down_proj.parameters());
    return p;
}

namespace {

Norm make_norm(const ModernConfig& c, const std::string& prefix) {
    if (c.norm == "rms") return RMSNorm(c.n_embd, prefix);
    return StandardLayerNorm(c.n_embd, prefix, /*with_bias=*/false);
}

FeedForward make_mlp(const ModernConfig& c, Rng& rng, const std::string& prefix) {
    if (c.mlp == "swiglu") return SwiGLU(c.n_embd, c.hidden(), rng, prefix);
    return GeluMLP(c.n_embd, c.hidden(), rng, prefix);
}

// The variants' members all have the same three functions: call the one held.
template <class Variant>
Tensor<3> forward_of(Variant& v, const Tensor<3>& x) {
    return std::visit([&x](auto& m) { return m.forward(x); }, v);
}
template <class Variant>
Tensor<3> backward_of(Variant& v, const Tensor<3>& dy) {
    return std::visit([&dy](auto& m) { return m.backward(dy); }, v);
}
template <class Variant>
ParameterList parameters_of(Variant& v) {
    return std::visit([](auto& m) { return m.parameters(); }, v);
}

}  // namespace

ModernBlock::ModernBlock(const ModernConfig& c, const RotaryEmbedding* rope, Rng& rng,
                         const std::string& prefix)
    : input_norm(make_norm(c, prefix + "input_layernorm.")),
      self_attn(c.n_embd, c.n_head, c.n_kv_head, rope, rng, prefix + "self_attn."),
      post_attention_norm(make_norm(c, prefix + "post_attention_layernorm.")),
      mlp(make_mlp(c, rng, prefix + "mlp.")) {}

//! [modern block]
Tensor<3> ModernBlock::forward(const Tensor<3>& x_BLC) {
    Tensor<3> h_BLC = self_attn.forward(forward_of(input_norm, x_BLC));
    h_BLC += x_BLC;
    Tensor<3> y_BLC = forward_of(mlp, forward_of(post_attention_norm, h_BLC));
    y_BLC += h_BLC;
    return y_BLC;
}

Tensor<3> ModernBlock::backward(const Tensor<3>& dy_BLC) {
    Tensor<3> dh_BLC = backward_of(post_attention_norm, backward_of(mlp, dy_BLC));
    dh_BLC += dy_BLC;  // the residual path
    Tensor<3> dx_BLC = backward_of(input_norm, self_attn.backward(dh_BLC));
    dx_BLC += dh_BLC;
    return dx_BLC;
}
//! [modern block]

ParameterList ModernBlock::parameters() {
    ParameterList p = parameters_of(input_norm);
    append(p, self_attn.parameters());
    append(p, parameters_of(post_attention_norm));
    append(p, parameters_of(mlp));
    return p;
}

// ---- the model ----------------------------------------------------------------------------

namespace {
const ModernConfig& validated(const ModernConfig& c) {
    c.validate();
    return c;
}
}  // namespace

ModernDecoder::ModernDecoder(const ModernConfig& config, std::uint64_t seed)
    : rng_(std::make_unique<Rng>(seed)),
      rope_(validated(config).position == "rope"
                ? std::make_unique<RotaryEmbedding>(config.n_embd / config.n_head, config.rope_base)
                : nullptr),
      embed_tokens(config.vocab, config.n_embd, *rng_, "model.", /*scale_by_sqrt_c=*/false),
      embed_positions("model.embed_positions.weight",
                      {config.position == "learned" ? config.block_size : 0, config.n_embd}),
      norm(make_norm(config, "model.norm.")),
      lm_head(config.n_embd, config.vocab, *rng_, "lm_head.", /*with_bias=*/false),
      config_(config) {
    for (std::size_t i = 0; i < config.n_layer; ++i)
        layers.emplace_back(config, rope_.get(), *rng_, "model.layers." + std::to_string(i) + ".");
    token_table_ = std::make_unique<Parameter>(
        "model.embed_tokens.weight", std::vector<std::size_t>{config.vocab, config.n_embd});
    embed_tokens.share(*token_table_);
    lm_head.share_weight(*token_table_);
    // Chapter 12's initialisation, so that the comparison is of the architectures alone.
    const float residual_std = 0.02f / std::sqrt(2.0f * float(config.n_layer));
    for (Parameter* p : parameters()) {
        if (p->value.dimension() == 1) continue;  // norm gains stay 1
        const bool ends_branch = p->name.find("o_proj") != std::string::npos ||
                                 p->name.find("down_proj") != std::string::npos;
        fill_normal(p->value, 0.0f, ends_branch ? residual_std : 0.02f, *rng_);
    }
}

ParameterList ModernDecoder::parameters() {
    ParameterList p = embed_tokens.parameters();
    if (config_.position == "learned") p.push_back(&embed_positions);
    for (ModernBlock& b : layers) append(p, b.parameters());
    append(p, parameters_of(norm));
    return p;  // lm_head's weight is the token table: listed once
}

//! [modern forward]
Tensor<3> ModernDecoder::forward(const xt::xtensor<std::int64_t, 2>& ids_BL) {
    const std::size_t B = ids_BL.shape()[0], L = ids_BL.shape()[1], C = config_.n_embd;
    const bool learned = config_.position == "learned";
    if (L == 0 || (learned && L > config_.block_size)) {
        throw std::length_error("modern decoder: " + std::to_string(L) +
                                " tokens, but the model has learned positions for 1 to " +
                                std::to_string(config_.block_size));
    }
    batch_ = B;
    length_ = L;
    Tensor<3> x_BLC = embed_tokens.forward(ids_BL);
    if (learned) {
        for (std::size_t b = 0; b < B; ++b)
            for (std::size_t t = 0; t < L; ++t)
                for (std::size_t c = 0; c < C; ++c) x_BLC(b, t, c) += embed_positions.value(t, c);
    }
    // With RoPE nothing is added: each attention layer rotates its queries and keys.
    for (ModernBlock& layer : layers) x_BLC = layer.forward(x_BLC);
    return lm_head.forward(forward_of(norm, x_BLC));
}

void ModernDecoder::backward(const Tensor<3>& dlogits_BLV) {
    Tensor<3> d_BLC = backward_of(norm, lm_head.backward(dlogits_BLV));
    for (std::size_t i = layers.size(); i-- > 0;) d_BLC = layers[i].backward(d_BLC);
    if (config_.position == "learned") {
        for (std::size_t b = 0; b < batch_; ++b)
            for (std::size_t t = 0; t < length_; ++t)
                for (std::size_t c = 0; c < config_.n_embd; ++c)
                    embed_positions.grad(t, c) += d_BLC(b, t, c);
    }
    embed_tokens.backward(d_BLC);  // into the table the head's backward added to
}
//! [modern forward]

ModelFiles ModernDecoder::files() {
    return ModelFiles{parameters(), &rng(), [this](const std::string& dir) {
                          write_file_atomically(dir + "/config.json", config().to_json());
                      }};
}

std::unique_ptr<TokenCache> ModernDecoder::make_cache(std::size_t rows) {
    return std::make_unique<ModernCache>(*this, rows);
}

// ---- the cache ------------------------------------------------------------------------------

ModernCache::ModernCache(ModernDecoder& model, std::size_t rows)
    : LayerKVCache("ModernCache", model.config().n_layer, rows, model.config().n_kv_head,
                   model.config().block_size, model.config().n_embd / model.config().n_head),
      model_(model) {}

//! [modern cached step]
Tensor<2> ModernCache::step(const std::vector<std::int64_t>& tokens_R) {
    const ModernConfig& c = model_.config();
    const std::size_t R = rows_, t = length_;
    const xt::xtensor<std::int64_t, 2> ids_R1 = step_ids(tokens_R);
    Tensor<3> x_R1C = model_.embed_tokens.forward(ids_R1);
    if (c.position == "learned") {
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t ch = 0; ch < c.n_embd; ++ch)
                x_R1C(r, 0, ch) += model_.embed_positions.value(t, ch);
    }
    for (std::size_t l = 0; l < model_.layers.size(); ++l) {
        ModernBlock& block = model_.layers[l];
        GroupedQueryAttention& attn = block.self_attn;
        const Tensor<3> a_R1C = forward_of(block.input_norm, x_R1C);
        Tensor<3> q_R1C = attn.q_proj.forward(a_R1C);  // H heads
        Tensor<3> k_R1C = attn.k_proj.forward(a_R1C);  // G heads
        const Tensor<3> v_R1C = attn.v_proj.forward(a_R1C);
        // The new query and key turn to position t; the cached keys turned to theirs when
        // they were written, and their scores with this query depend on t − s alone.
        if (model_.rope() != nullptr) {
            model_.rope()->rotate_one(q_R1C, t);
            model_.rope()->rotate_one(k_R1C, t);
        }
        append_position(k_[l], k_R1C, t);
        append_position(v_[l], v_R1C, t);
        x_R1C += attn.o_proj.forward(attend_one(q_R1C, k_[l], v_[l], t + 1, nullptr));
        x_R1C += forward_of(block.mlp, forward_of(block.post_attention_norm, x_R1C));
    }
    ++length_;
    const Tensor<3> logits_R1V = model_.lm_head.forward(forward_of(model_.norm, x_R1C));
    return Tensor<2>(xt::view(logits_R1V, xt::all(), 0, xt::all()));
}
//! [modern cached step]

// ---- conversion and files ---------------------------------------------------------------------

ModernDecoder modern_from_gpt(GPT& gpt) {
    const GPTConfig& g = gpt.config();
    if (g.bias || g.dropout != 0.0f) {
        throw std::invalid_argument(
            "modern_from_gpt: the modern decoder has no biases and no dropout; this GPT has " +
            std::string(g.bias ? "biases" : "dropout"));
    }
    ModernDecoder model(gpt_equivalent(g), 0);
    const ParameterList from = gpt.parameters(), to = model.parameters();
    // Both lists: token table, position table, then per block norm, W_Q, W_K, W_V, W_O,
    // norm, the two feed-forward matrices, and the final norm.
    check_size("modern_from_gpt parameters", to.size(), from.size());
    for (std::size_t i = 0; i < from.size(); ++i) {
        if (from[i]->value.shape() != to[i]->value.shape())
            throw ShapeError("modern_from_gpt: " + from[i]->name + " and " + to[i]->name +
                             " differ in shape");
        to[i]->value = from[i]->value;
    }
    return model;
}

void save_modern_decoder(const std::string& dir, ModernDecoder& model) {
    replace_directory(dir, kModelCheckpointKind,
                      [&](const std::string& tmp) { write_model_files(tmp, model); });
}

ModernDecoder load_modern_decoder(const std::string& dir) {
    const ModernConfig config = read_model_config<ModernConfig>(dir);
    check_stored_shape(dir, "model.embed_tokens.weight", {config.vocab, config.n_embd});
    check_parameter_count(dir, config.parameter_count());
    ModernDecoder model(config, 0);
    read_parameter_files(dir, model.parameters(), {"config.json"});
    return model;
}

ModernLanguageModel load_modern_language_model(const std::string& dir) {
    require_checkpoint_directory(dir);
    ModernDecoder model = load_modern_decoder(model_directory(dir));
    const CharVocabulary vocabulary = read_vocabulary(dir, model.config().vocab);
    return ModernLanguageModel{std::move(model), vocabulary};
}

// ---- the loss at each position ------------------------------------------------------------------

double PositionLosses::mean() const {
    double sum = 0.0;
    for (double l : loss) sum += l;
    return loss.empty() ? 0.0 : sum / double(loss.size());
}

//! [loss by position]
PositionLosses loss_by_position(NextTokenModel& model, const std::vector<std::int64_t>& data,
                                std::size_t length, std::size_t batch) {
    if (length == 0 || batch == 0 || data.size() < length + 1) {
        throw std::invalid_argument("loss_by_position: " + std::to_string(data.size()) +
                                    " ids hold no window of " + std::to_string(length + 1));
    }
    model.train(false);
    const std::size_t windows = (data.size() - 1) / length, V = model.vocab();
    PositionLosses result;
    result.loss.assign(length, 0.0);
    result.windows = windows;
    for (std::size_t first = 0; first < windows; first += batch) {
        const std::size_t B = std::min(batch, windows - first);
        xt::xtensor<std::int64_t, 2> ids_BL = xt::xtensor<std::int64_t, 2>::from_shape({B, length});
        for (std::size_t b = 0; b < B; ++b)
            std::copy_n(data.begin() + std::ptrdiff_t((first + b) * length), length, &ids_BL(b, 0));
        const Tensor<3> logits_BLV = model.forward(ids_BL);
        // −log softmax(z)[next] = log Σ exp(z − max) + max − z[next], per window and position.
        for (std::size_t b = 0; b < B; ++b)
            for (std::size_t l = 0; l < length; ++l) {
                const float* z = &logits_BLV(b, l, 0);
                const double max = *std::max_element(z, z + V);
                double sum = 0.0;
                for (std::size_t v = 0; v < V; ++v) sum += std::exp(double(z[v]) - max);
                const std::int64_t next = data[(first + b) * length + l + 1];
                result.loss[l] += std::log(sum) + max - double(z[next]);
            }
    }
    for (double& l : result.loss) l /= double(windows);
    return result;
}
//! [loss by position]

}  // namespace tfm
