// encoder_decoder.cpp — layers, stacks, the model, and greedy decoding.
#include "encoder_decoder.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <xtensor/xview.hpp>

#include "00_tensors/shapes.hpp"
#include "03_attention/masks.hpp"
#include "config_fields.hpp"
#include "parameter_files.hpp"

namespace tfm {

//! [model fields]
const FieldTable<ModelConfig>& ModelConfig::fields() {
    static const FieldTable<ModelConfig> table =
        FieldTable<ModelConfig>()
            .integer("src_vocab", &ModelConfig::src_vocab, 1, kMaxVocab)
            .integer("tgt_vocab", &ModelConfig::tgt_vocab, 1, kMaxVocab)
            .integer("N", &ModelConfig::N, 1, kMaxLayers, "--layers", "N, layers in each stack")
            .integer("d_model", &ModelConfig::d_model, 2, kMaxWidth, "--d-model", "C, the width")
            .integer("d_ff", &ModelConfig::d_ff, 1, kMaxWidth, "--d-ff",
                     "F, the feed-forward hidden size")
            .integer("h", &ModelConfig::h, 1, kMaxWidth, "--heads", "H, attention heads")
            .number("dropout", &ModelConfig::dropout, 0.0, 0.999, "--dropout", "dropout rate")
            // Absent from checkpoints written before chapter 10 and from PyTorch's.
            .boolean("shared_embeddings", &ModelConfig::shared_embeddings)
            .optional();
    return table;
}
//! [model fields]

void ModelConfig::validate() const {
    auto need = [](bool ok, const std::string& what) {
        if (!ok) throw std::invalid_argument("model config: " + what);
    };
    const std::string range = fields().check(*this);
    need(range.empty(), range);
    need(d_model % 2 == 0,
         "d_model must be even (the sinusoids come in pairs), got " + std::to_string(d_model));
    need(d_model % h == 0,
         "h = " + std::to_string(h) + " must divide d_model = " + std::to_string(d_model));
    need(!shared_embeddings || src_vocab == tgt_vocab,
         "shared embeddings need one vocabulary: src_vocab " + std::to_string(src_vocab) +
             " != tgt_vocab " + std::to_string(tgt_vocab));
}

std::size_t ModelConfig::parameter_count() const {
    const std::size_t C = d_model, F = d_ff;
    const std::size_t attention = 4 * (C * C + C);           // W_Q, W_K, W_V, W_O and biases
    const std::size_t feed_forward = C * F + F + F * C + C;  // w_1, w_2 and biases
    const std::size_t norm = 2 * C;                          // gain and bias
    const std::size_t encoder_layer = attention + feed_forward + 2 * norm;
    const std::size_t decoder_layer = 2 * attention + feed_forward + 3 * norm;
    // The embedding tables and the generator (weight and bias), one shared matrix if asked.
    const std::size_t tables = shared_embeddings ? src_vocab * C : (src_vocab + 2 * tgt_vocab) * C;
    return N * (encoder_layer + decoder_layer) + 2 * norm + tables + tgt_vocab;
}

std::string ModelConfig::to_json() const {
    return fields().to_json(*this).dump(2) + "\n";
}

ModelConfig ModelConfig::from_json(const std::string& text, const std::string& source) {
    return parse_model_config<ModelConfig>(text, source);
}

bool ModelConfig::operator==(const ModelConfig& o) const {
    return fields().difference(*this, o).empty();
}

// ---- encoder layer --------------------------------------------------------------------

EncoderLayer::EncoderLayer(const ModelConfig& c, Rng& rng, const std::string& prefix)
    : self_attn(c.h, c.d_model, c.dropout, rng, prefix + "self_attn."),
      feed_forward(c.d_model, c.d_ff, c.dropout, rng, prefix + "feed_forward.") {
    for (int i = 0; i < 2; ++i) {
        sublayer.emplace_back(c.d_model, c.dropout, rng,
                              prefix + "sublayer." + std::to_string(i) + ".");
    }
}

//! [encoder layer]
Tensor<3> EncoderLayer::forward(const Tensor<3>& x_BLC, const xt::xtensor<bool, 3>& mask_BXL) {
    const Tensor<3> h_BLC = sublayer[0].forward(
        x_BLC, [&](const Tensor<3>& n) { return self_attn.forward_self(n, mask_BXL); });
    return sublayer[1].forward(h_BLC, [&](const Tensor<3>& n) { return feed_forward.forward(n); });
}

Tensor<3> EncoderLayer::backward(const Tensor<3>& dy_BLC) {
    const Tensor<3> dh_BLC =
        sublayer[1].backward(dy_BLC, [&](const Tensor<3>& d) { return feed_forward.backward(d); });
    // n was query, key and value at once: its gradient is the sum of the three, which
    // backward_self adds up (chapter 04).
    return sublayer[0].backward(dh_BLC,
                                [&](const Tensor<3>& d) { return self_attn.backward_self(d); });
}
//! [encoder layer]

ParameterList EncoderLayer::parameters() {
    ParameterList p = self_attn.parameters();
    append(p, feed_forward.parameters());
    for (auto& s : sublayer) append(p, s.parameters());
    return p;
}

void EncoderLayer::train(bool training) {
    self_attn.train(training);
    feed_forward.train(training);
    for (auto& s : sublayer) s.train(training);
}

// ---- decoder layer --------------------------------------------------------------------

DecoderLayer::DecoderLayer(const ModelConfig& c, Rng& rng, const std::string& prefix)
    : self_attn(c.h, c.d_model, c.dropout, rng, prefix + "self_attn."),
      src_attn(c.h, c.d_model, c.dropout, rng, prefix + "src_attn."),
      feed_forward(c.d_model, c.d_ff, c.dropout, rng, prefix + "feed_forward.") {
    for (int i = 0; i < 3; ++i) {
        sublayer.emplace_back(c.d_model, c.dropout, rng,
                              prefix + "sublayer." + std::to_string(i) + ".");
    }
}

//! [decoder layer]
Tensor<3> DecoderLayer::forward(const Tensor<3>& x_BLC, const Tensor<3>& memory_BMC,
                                const xt::xtensor<bool, 3>& src_mask_BXM,
                                const xt::xtensor<bool, 3>& tgt_mask_BXL) {
    // 1. Masked self-attention: each target position sees itself and the ones before it.
    const Tensor<3> a_BLC = sublayer[0].forward(
        x_BLC, [&](const Tensor<3>& n) { return self_attn.forward_self(n, tgt_mask_BXL); });
    // 2. Cross-attention: queries from the target, keys and values from the memory.
    const Tensor<3> b_BLC = sublayer[1].forward(a_BLC, [&](const Tensor<3>& n) {
        return src_attn.forward(n, memory_BMC, memory_BMC, src_mask_BXM);
    });
    // 3. The position-wise feed-forward network.
    return sublayer[2].forward(b_BLC, [&](const Tensor<3>& n) { return feed_forward.forward(n); });
}

Tensor<3> DecoderLayer::backward(const Tensor<3>& dy_BLC, Tensor<3>& dmemory_BMC) {
    const Tensor<3> db_BLC =
        sublayer[2].backward(dy_BLC, [&](const Tensor<3>& d) { return feed_forward.backward(d); });
    const Tensor<3> da_BLC = sublayer[1].backward(db_BLC, [&](const Tensor<3>& d) {
        const MultiHeadGrads g = src_attn.backward(d);
        dmemory_BMC += g.dkey_BMC + g.dvalue_BMC;  // the memory was key and value
        return g.dquery_BLC;
    });
    return sublayer[0].backward(da_BLC,
                                [&](const Tensor<3>& d) { return self_attn.backward_self(d); });
}
//! [decoder layer]

ParameterList DecoderLayer::parameters() {
    ParameterList p = self_attn.parameters();
    append(p, src_attn.parameters());
    append(p, feed_forward.parameters());
    for (auto& s : sublayer) append(p, s.parameters());
    return p;
}

void DecoderLayer::train(bool training) {
    self_attn.train(training);
    src_attn.train(training);
    feed_forward.train(training);
    for (auto& s : sublayer) s.train(training);
}

// ---- embeddings -------------------------------------------------------------------------

EmbeddingStack::EmbeddingStack(std::size_t vocab, const ModelConfig& c, Rng& rng,
                               const std::string& prefix)
    : embeddings(vocab, c.d_model, rng, prefix + "0."), position(c.d_model, c.dropout, rng) {}

Tensor<3> EmbeddingStack::forward(const xt::xtensor<std::int64_t, 2>& ids_BL) {
    return position.forward(embeddings.forward(ids_BL));
}

void EmbeddingStack::backward(const Tensor<3>& dx_BLC) {
    embeddings.backward(position.backward(dx_BLC));
}

// ---- the model --------------------------------------------------------------------------

namespace {
const ModelConfig& validated(const ModelConfig& c) {
    c.validate();
    return c;
}
}  // namespace

//! [make model]
EncoderDecoder::EncoderDecoder(const ModelConfig& config, std::uint64_t seed)
    : rng_(std::make_unique<Rng>(seed)),
      encoder_norm(validated(config).d_model, "encoder.norm."),
      decoder_norm(config.d_model, "decoder.norm."),
      src_embed(config.src_vocab, config, *rng_, "src_embed."),
      tgt_embed(config.tgt_vocab, config, *rng_, "tgt_embed."),
      generator(config.d_model, config.tgt_vocab, *rng_),
      config_(config) {
    Rng& rng = *rng_;
    encoder_layers.reserve(config.N);
    decoder_layers.reserve(config.N);
    for (std::size_t i = 0; i < config.N; ++i) {
        encoder_layers.emplace_back(config, rng, "encoder.layers." + std::to_string(i) + ".");
    }
    for (std::size_t i = 0; i < config.N; ++i) {
        decoder_layers.emplace_back(config, rng, "decoder.layers." + std::to_string(i) + ".");
    }
    // Weight tying (§3.4): the three [V, C] matrices become one. Every use adds its
    // gradient into the one matrix, so its gradient is the sum over the three uses.
    if (config.shared_embeddings) {
        shared_embedding_ = std::make_unique<Parameter>(
            "src_embed.0.lut.weight", std::vector<std::size_t>{config.src_vocab, config.d_model});
        src_embed.embeddings.share(*shared_embedding_);
        tgt_embed.embeddings.share(*shared_embedding_);
        generator.proj.share_weight(*shared_embedding_);
    }
    // "Initialize parameters with Glorot / fan_avg": every parameter with more than one
    // dimension — weights and embedding tables, not biases or norm gains.
    for (Parameter* p : parameters()) {
        if (p->value.dimension() > 1) xavier_uniform(p->value, rng);
    }
}
//! [make model]

ParameterList EncoderDecoder::parameters() {
    ParameterList p;
    for (auto& layer : encoder_layers) append(p, layer.parameters());
    append(p, encoder_norm.parameters());
    for (auto& layer : decoder_layers) append(p, layer.parameters());
    append(p, decoder_norm.parameters());
    append(p, src_embed.parameters());
    append(p, tgt_embed.parameters());
    append(p, generator.parameters());
    // A shared matrix appears three times above; keep its first place only, or the
    // optimiser would step it three times.
    ParameterList unique;
    for (Parameter* q : p) {
        if (std::find(unique.begin(), unique.end(), q) == unique.end()) unique.push_back(q);
    }
    return unique;
}

void EncoderDecoder::train(bool training) {
    for (auto& layer : encoder_layers) layer.train(training);
    for (auto& layer : decoder_layers) layer.train(training);
    src_embed.train(training);
    tgt_embed.train(training);
}

//! [encode decode]
Tensor<3> EncoderDecoder::encode(const xt::xtensor<std::int64_t, 2>& src_BM,
                                 const xt::xtensor<bool, 3>& src_mask_BXM) {
    check_token_ids(src_BM, config_.src_vocab, "encode: source");
    Tensor<3> x_BMC = src_embed.forward(src_BM);
    for (auto& layer : encoder_layers) x_BMC = layer.forward(x_BMC, src_mask_BXM);
    batch_ = src_BM.shape()[0];
    memory_length_ = src_BM.shape()[1];
    return encoder_norm.forward(x_BMC);  // pre-norm stacks end with a norm (chapter 06)
}

Tensor<3> EncoderDecoder::decode(const Tensor<3>& memory_BMC,
                                 const xt::xtensor<bool, 3>& src_mask_BXM,
                                 const xt::xtensor<std::int64_t, 2>& tgt_BL,
                                 const xt::xtensor<bool, 3>& tgt_mask_BXL) {
    check_token_ids(tgt_BL, config_.tgt_vocab, "decode: target");
    Tensor<3> x_BLC = tgt_embed.forward(tgt_BL);
    for (auto& layer : decoder_layers)
        x_BLC = layer.forward(x_BLC, memory_BMC, src_mask_BXM, tgt_mask_BXL);
    return decoder_norm.forward(x_BLC);
}
//! [encode decode]

Tensor<3> EncoderDecoder::forward(const xt::xtensor<std::int64_t, 2>& src_BM,
                                  const xt::xtensor<std::int64_t, 2>& tgt_BL,
                                  const xt::xtensor<bool, 3>& src_mask_BXM,
                                  const xt::xtensor<bool, 3>& tgt_mask_BXL) {
    return decode(encode(src_BM, src_mask_BXM), src_mask_BXM, tgt_BL, tgt_mask_BXL);
}

//! [model backward]
void EncoderDecoder::backward(const Tensor<3>& dout_BLC) {
    // Decoder, top to bottom; every layer adds its share of the memory's gradient.
    Tensor<3> dmemory_BMC = xt::zeros<float>({batch_, memory_length_, config_.d_model});
    Tensor<3> d_BLC = decoder_norm.backward(dout_BLC);
    for (std::size_t i = decoder_layers.size(); i-- > 0;)
        d_BLC = decoder_layers[i].backward(d_BLC, dmemory_BMC);
    tgt_embed.backward(d_BLC);
    // Encoder, from the memory's gradient down to the source embeddings.
    Tensor<3> e_BMC = encoder_norm.backward(dmemory_BMC);
    for (std::size_t i = encoder_layers.size(); i-- > 0;) e_BMC = encoder_layers[i].backward(e_BMC);
    src_embed.backward(e_BMC);
}
//! [model backward]

//! [greedy decode]
xt::xtensor<std::int64_t, 2> greedy_decode(EncoderDecoder& model,
                                           const xt::xtensor<std::int64_t, 2>& src_BM,
                                           const xt::xtensor<bool, 3>& src_mask_BXM,
                                           std::size_t max_len, std::int64_t start) {
    if (max_len == 0) throw std::invalid_argument("greedy_decode: max_len must be positive");
    const std::size_t B = src_BM.shape()[0], V = model.config().tgt_vocab;
    const Tensor<3> memory_BMC = model.encode(src_BM, src_mask_BXM);
    xt::xtensor<std::int64_t, 2> ys_BL = xt::xtensor<std::int64_t, 2>::from_shape({B, max_len});
    ys_BL.fill(start);
    for (std::size_t t = 1; t < max_len; ++t) {
        // Decode the t tokens so far (the whole prefix again: chapter 11 caches it).
        const xt::xtensor<std::int64_t, 2> prefix_BL = xt::view(ys_BL, xt::all(), xt::range(0, t));
        const Tensor<3> out_BLC =
            model.decode(memory_BMC, src_mask_BXM, prefix_BL, subsequent_mask(t));
        // Only the last position predicts the next token.
        const Tensor<3> last_B1C = xt::view(out_BLC, xt::all(), xt::range(t - 1, t), xt::all());
        const Tensor<3> logp_B1V = model.generator.forward(last_B1C);
        for (std::size_t b = 0; b < B; ++b) {
            std::size_t best = 0;
            for (std::size_t v = 1; v < V; ++v) {
                if (logp_B1V(b, 0, v) > logp_B1V(b, 0, best)) best = v;
            }
            ys_BL(b, t) = static_cast<std::int64_t>(best);
        }
    }
    return ys_BL;
}
//! [greedy decode]

}  // namespace tfm
