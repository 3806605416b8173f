// gpt.cpp — the decoder-only model: blocks, embeddings, the tied head, checkpoints.
#include "gpt.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "00_tensors/parallel.hpp"
#include "00_tensors/shapes.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/config_fields.hpp"
#include "07_encoder_decoder/config_limits.hpp"
#include "07_encoder_decoder/parameter_files.hpp"

namespace tfm {

// ---- configuration ----------------------------------------------------------------------

//! [gpt fields]
const FieldTable<GPTConfig>& GPTConfig::fields() {
    static const FieldTable<GPTConfig> table =
        FieldTable<GPTConfig>()
            .integer("vocab", &GPTConfig::vocab, 3, kMaxVocab)
            .integer("block_size", &GPTConfig::block_size, 1, 1 << 16, "--block-size",
                     "the context: the longest window the model reads")
            .integer("n_layer", &GPTConfig::n_layer, 1, kMaxLayers, "--layers", "blocks")
            .integer("n_head", &GPTConfig::n_head, 1, kMaxWidth, "--heads", "attention heads")
            .integer("n_embd", &GPTConfig::n_embd, 2, kMaxWidth, "--d-model", "C, the width")
            .number("dropout", &GPTConfig::dropout, 0.0, 0.999, "--dropout", "dropout rate")
            .boolean("bias", &GPTConfig::bias, "--bias",
                     "biases in the Linear layers and LayerNorms");
    return table;
}
//! [gpt fields]

void GPTConfig::validate() const {
    auto need = [](bool ok, const std::string& what) {
        if (!ok) throw std::invalid_argument("GPT config: " + what);
    };
    const std::string range = fields().check(*this);
    need(range.empty(), range);
    need(n_embd % n_head == 0,
         "n_head = " + std::to_string(n_head) + " must divide n_embd = " + std::to_string(n_embd));
}

std::string GPTConfig::to_json() const {
    return fields().to_json(*this).dump(2) + "\n";
}

GPTConfig GPTConfig::from_json(const std::string& text, const std::string& source) {
    return parse_model_config<GPTConfig>(text, source);
}

std::size_t GPTConfig::parameter_count() const {
    const std::size_t C = n_embd, b = bias ? 1 : 0;
    // A block: two LayerNorms (gain, bias), attention's four C×C, the MLP's C×4C and 4C×C.
    const std::size_t block =
        2 * (C + b * C) + 4 * (C * C + b * C) + (4 * C * C + b * 4 * C) + (4 * C * C + b * C);
    // wte (also the output head's weight), wpe, the blocks, ln_f.
    return vocab * C + block_size * C + n_layer * block + C + b * C;
}

bool GPTConfig::operator==(const GPTConfig& o) const {
    return fields().difference(*this, o).empty();
}

// ---- a block ------------------------------------------------------------------------------

GPTBlock::GPTBlock(const GPTConfig& c, Rng& rng, const std::string& prefix)
    : ln_1(c.n_embd, prefix + "ln_1.", c.bias),
      attn(c.n_head, c.n_embd, c.dropout, rng, prefix + "attn.", c.bias),
      ln_2(c.n_embd, prefix + "ln_2.", c.bias),
      c_fc(c.n_embd, 4 * c.n_embd, rng, prefix + "mlp.c_fc.", c.bias),
      c_proj(4 * c.n_embd, c.n_embd, rng, prefix + "mlp.c_proj.", c.bias),
      attn_dropout_(c.dropout, rng),
      mlp_dropout_(c.dropout, rng) {}

//! [gpt block]
Tensor<3> GPTBlock::forward(const Tensor<3>& x_BLC, const xt::xtensor<bool, 3>& mask_1LL) {
    // h = x + attn(ln_1(x)): causal self-attention, chapter 04 with chapter 03's mask.
    const Tensor<3> a_BLC = ln_1.forward(x_BLC);
    Tensor<3> h_BLC = attn.forward_self(a_BLC, mask_1LL);
    attn_dropout_.forward_inplace(h_BLC.data(), h_BLC.size());
    add_into(h_BLC, x_BLC);  // h += x, on every core (chapter 00's parallel.hpp)
    // y = h + c_proj(gelu(c_fc(ln_2(h)))).
    h_BLF_ = c_fc.forward(ln_2.forward(h_BLC));
    Tensor<3> y_BLC = c_proj.forward(gelu(h_BLF_));
    mlp_dropout_.forward_inplace(y_BLC.data(), y_BLC.size());
    add_into(y_BLC, h_BLC);
    return y_BLC;
}

Tensor<3> GPTBlock::backward(const Tensor<3>& dy_BLC) {
    // The feed-forward branch, then the residual: dh = dy + its gradient through ln_2.
    Tensor<3> d_BLC = mlp_dropout_.backward(dy_BLC);
    Tensor<3> dh_BLC = ln_2.backward(c_fc.backward(gelu_backward(h_BLF_, c_proj.backward(d_BLC))));
    add_into(dh_BLC, dy_BLC);
    // The attention branch: x was query, key and value at once, so its gradient is the
    // sum of the three (backward_self adds them up).
    Tensor<3> dx_BLC = ln_1.backward(attn.backward_self(attn_dropout_.backward(dh_BLC)));
    add_into(dx_BLC, dh_BLC);
    return dx_BLC;
}
//! [gpt block]

ParameterList GPTBlock::parameters() {
    ParameterList p = ln_1.parameters();
    append(p, attn.parameters());
    append(p, ln_2.parameters());
    append(p, c_fc.parameters());
    append(p, c_proj.parameters());
    return p;
}

void GPTBlock::train(bool training) {
    attn.train(training);
    attn_dropout_.train(training);
    mlp_dropout_.train(training);
}

// ---- the model ----------------------------------------------------------------------------

namespace {
const GPTConfig& validated(const GPTConfig& c) {
    c.validate();
    return c;
}
}  // namespace

//! [gpt init]
GPT::GPT(const GPTConfig& config, std::uint64_t seed)
    : rng_(std::make_unique<Rng>(seed)),
      wte(validated(config).vocab, config.n_embd, *rng_, "", /*scale_by_sqrt_c=*/false),
      wpe("wpe.weight", {config.block_size, config.n_embd}),
      ln_f(config.n_embd, "ln_f.", config.bias),
      lm_head(config.n_embd, config.vocab, *rng_, "lm_head.", /*with_bias=*/false),
      config_(config) {
    for (std::size_t i = 0; i < config.n_layer; ++i)
        blocks.emplace_back(config, *rng_, "h." + std::to_string(i) + ".");
    // The output projection is the token table: one [V, C] matrix, on the heap so that
    // both users keep pointing at it when the model is moved.
    token_table_ = std::make_unique<Parameter>(
        "wte.weight", std::vector<std::size_t>{config.vocab, config.n_embd});
    wte.share(*token_table_);
    lm_head.share_weight(*token_table_);
    const float residual_std = 0.02f / std::sqrt(2.0f * float(config.n_layer));
    for (Parameter* p : parameters()) {
        if (p->value.dimension() == 1) {
            if (p->name.find("ln_") == std::string::npos)
                p->value.fill(0.0f);  // biases; LayerNorm keeps 1 and 0
            continue;
        }
        const bool ends_branch = p->name.find("attn.linears.3.weight") != std::string::npos ||
                                 p->name.find("mlp.c_proj.weight") != std::string::npos;
        fill_normal(p->value, 0.0f, ends_branch ? residual_std : 0.02f, *rng_);
    }
}
//! [gpt init]

ParameterList GPT::parameters() {
    ParameterList p = wte.parameters();
    p.push_back(&wpe);
    for (auto& b : blocks) append(p, b.parameters());
    append(p, ln_f.parameters());
    return p;  // lm_head's weight is wte's: listed once
}

void GPT::train(bool training) {
    for (auto& b : blocks) b.train(training);
}

//! [gpt forward]
Tensor<3> GPT::forward(const xt::xtensor<std::int64_t, 2>& ids_BL) {
    const std::size_t B = ids_BL.shape()[0], L = ids_BL.shape()[1], C = config_.n_embd;
    if (L == 0 || L > config_.block_size) {
        throw std::length_error("GPT: " + std::to_string(L) +
                                " tokens, but the model has positions for 1 to " +
                                std::to_string(config_.block_size));
    }
    batch_ = B;
    length_ = L;
    // Token embeddings plus the learned position embeddings of positions 0..L−1.
    Tensor<3> x_BLC = wte.forward(ids_BL);
    for (std::size_t b = 0; b < B; ++b) add_into(x_BLC.data() + b * L * C, wpe.value.data(), L * C);
    const xt::xtensor<bool, 3> mask_1LL = subsequent_mask(L);
    for (auto& block : blocks) x_BLC = block.forward(x_BLC, mask_1LL);
    return lm_head.forward(ln_f.forward(x_BLC));
}

void GPT::backward(const Tensor<3>& dlogits_BLV) {
    Tensor<3> d_BLC =
        ln_f.backward(lm_head.backward(dlogits_BLV));  // lm_head adds into wte's gradient
    for (std::size_t i = blocks.size(); i-- > 0;) d_BLC = blocks[i].backward(d_BLC);
    // A position's embedding row receives the gradient of every sequence in the batch.
    const std::size_t LC = length_ * config_.n_embd;
    for (std::size_t b = 0; b < batch_; ++b) add_into(wpe.grad.data(), d_BLC.data() + b * LC, LC);
    wte.backward(d_BLC);  // the scatter-add of chapter 01, into the same table
}
//! [gpt forward]

// ---- files ------------------------------------------------------------------------------------

ModelFiles GPT::files() {
    return ModelFiles{parameters(), &rng(), [this](const std::string& dir) {
                          write_file_atomically(dir + "/config.json", config().to_json());
                      }};
}

void save_gpt(const std::string& dir, GPT& model, DType storage) {
    replace_directory(dir, kModelCheckpointKind,
                      [&](const std::string& tmp) { write_model_files(tmp, model, storage); });
}

GPT load_gpt(const std::string& dir) {
    const GPTConfig config = read_model_config<GPTConfig>(dir);
    // The table's header must agree before a model of that size is built.
    check_stored_shape(dir, "wte.weight", {config.vocab, config.n_embd});
    check_parameter_count(dir, config.parameter_count());
    GPT model(config, 0);
    read_parameter_files(dir, model.parameters(), {"config.json"});
    return model;
}

}  // namespace tfm
