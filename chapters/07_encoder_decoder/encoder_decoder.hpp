// encoder_decoder.hpp — the full Transformer (chapter 07).
//
// Chapters 01–06 assembled as the Annotated Transformer assembles them:
//
//   EncoderLayer:  x → SublayerConnection(self-attention) → SublayerConnection(feed-forward)
//   DecoderLayer:  x → SublayerConnection(masked self-attention)
//                    → SublayerConnection(cross-attention over the memory)
//                    → SublayerConnection(feed-forward)
//   Encoder / Decoder: N layers, then a final LayerNorm (needed with pre-norm, chapter 06)
//   EncoderDecoder: memory = encode(src), out = decode(memory, tgt), then the Generator.
//
// Every parameter is named by its PyTorch state_dict key and stored in PyTorch's layout,
// in the order PyTorch lists them (encoder, decoder, src_embed, tgt_embed, generator),
// so a checkpoint is interchangeable with the Annotated Transformer's (checkpoint.hpp).
//
// Backward runs the whole model in reverse. The memory feeds the cross-attention of
// every decoder layer, so its gradient is the sum over the layers; the encoder then
// receives it as its upstream gradient.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/parameter.hpp"
#include "00_tensors/random.hpp"
#include "01_embeddings/embeddings.hpp"
#include "02_positional_encoding/positional_encoding.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"
#include "05_feed_forward/feed_forward.hpp"
#include "06_layer_norm_residual/sublayer.hpp"
#include "config_limits.hpp"
#include "generator.hpp"

namespace tfm {

template <class Config>
class FieldTable;  // config_fields.hpp

/// The hyper-parameters of make_model, as config.json stores them.
struct ModelConfig {
    std::size_t src_vocab = 0;
    std::size_t tgt_vocab = 0;
    std::size_t N = 6;          ///< layers in each stack
    std::size_t d_model = 512;  ///< C
    std::size_t d_ff = 2048;    ///< F
    std::size_t h = 8;          ///< heads
    float dropout = 0.1f;
    /// One [V, C] matrix for the source embeddings, the target embeddings and the
    /// generator's weight (paper §3.4; chapter 10). Needs src_vocab == tgt_vocab.
    bool shared_embeddings = false;

    /// The fields, their ranges and flags (config_fields.hpp): config.json, the checks and
    /// the comparison all come from this one table.
    static const FieldTable<ModelConfig>& fields();
    /// Throws std::invalid_argument naming the first unusable value.
    void validate() const;
    /// How many numbers the model's parameters hold, counted from the configuration
    /// alone (before a model is built): what a checkpoint of it must store.
    std::size_t parameter_count() const;
    /// config.json's text for this configuration (the table's fields, in its order).
    std::string to_json() const;
    /// Parses and validates; errors are CheckpointErrors naming `source` and the field.
    static ModelConfig from_json(const std::string& text, const std::string& source);

    bool operator==(const ModelConfig& o) const;
    bool operator!=(const ModelConfig& o) const { return !(*this == o); }
};

/// A small model for demos and tests: one vocabulary of `vocab` tokens on both sides, the
/// sizes given, and no dropout, so that two runs of the same arithmetic agree exactly.
inline ModelConfig small_config(std::size_t vocab, std::size_t N = 1, std::size_t d_model = 16,
                                std::size_t d_ff = 32, std::size_t h = 2) {
    ModelConfig c;
    c.src_vocab = c.tgt_vocab = vocab;
    c.N = N;
    c.d_model = d_model;
    c.d_ff = d_ff;
    c.h = h;
    c.dropout = 0.0f;
    return c;
}

class EncoderLayer {
public:
    EncoderLayer(const ModelConfig& config, Rng& rng, const std::string& prefix);
    Tensor<3> forward(const Tensor<3>& x_BLC, const xt::xtensor<bool, 3>& mask_BXL);
    Tensor<3> backward(const Tensor<3>& dy_BLC);
    ParameterList parameters();
    void train(bool training);

    MultiHeadedAttention self_attn;
    PositionwiseFeedForward feed_forward;
    std::vector<SublayerConnection> sublayer;  ///< [0] around self_attn, [1] around feed_forward
};

class DecoderLayer {
public:
    DecoderLayer(const ModelConfig& config, Rng& rng, const std::string& prefix);
    Tensor<3> forward(const Tensor<3>& x_BLC, const Tensor<3>& memory_BMC,
                      const xt::xtensor<bool, 3>& src_mask_BXM,
                      const xt::xtensor<bool, 3>& tgt_mask_BXL);
    /// Returns ∂L/∂x and adds this layer's share of ∂L/∂memory into dmemory_BMC.
    Tensor<3> backward(const Tensor<3>& dy_BLC, Tensor<3>& dmemory_BMC);
    ParameterList parameters();
    void train(bool training);

    MultiHeadedAttention self_attn;
    MultiHeadedAttention src_attn;
    PositionwiseFeedForward feed_forward;
    std::vector<SublayerConnection> sublayer;  ///< around self_attn, src_attn, feed_forward
};

/// Token embeddings followed by the positional encoding: `src_embed` / `tgt_embed`
/// (nn.Sequential(Embeddings, PositionalEncoding) in the Annotated Transformer).
class EmbeddingStack {
public:
    EmbeddingStack(std::size_t vocab, const ModelConfig& config, Rng& rng,
                   const std::string& prefix);
    Tensor<3> forward(const xt::xtensor<std::int64_t, 2>& ids_BL);
    void backward(const Tensor<3>& dx_BLC);
    ParameterList parameters() { return embeddings.parameters(); }
    void train(bool training) { position.train(training); }

    Embeddings embeddings;        ///< "<prefix>0.lut.weight"
    PositionalEncoding position;  ///< the buffer "<prefix>1.pe"
};

class EncoderDecoder {
    // The model's own generator, declared first so that it exists before the layers that
    // keep a pointer to it (for dropout). Held by pointer so moving the model keeps it put.
    std::unique_ptr<Rng> rng_;
    // With shared_embeddings, the one matrix the embeddings and the generator use; on the
    // heap for the same reason (they keep a pointer to it). Named src_embed.0.lut.weight,
    // the name PyTorch lists first for a tied weight.
    std::unique_ptr<Parameter> shared_embedding_;

public:
    /// make_model: builds the model from a seed and initialises every parameter with more
    /// than one dimension with Xavier uniform, as the Annotated Transformer does. The same
    /// generator then draws the dropout masks.
    EncoderDecoder(const ModelConfig& config, std::uint64_t seed);

    /// The generator behind initialisation and dropout (its state goes into checkpoints
    /// that resume training exactly).
    Rng& rng() { return *rng_; }

    const ModelConfig& config() const { return config_; }

    /// memory_BMC = Encoder(src_embed(src)); src_mask_BXM is [B, 1, M].
    Tensor<3> encode(const xt::xtensor<std::int64_t, 2>& src_BM,
                     const xt::xtensor<bool, 3>& src_mask_BXM);
    /// out_BLC = Decoder(tgt_embed(tgt), memory); tgt_mask_BXL is [B, L, L] (or [1, L, L]).
    Tensor<3> decode(const Tensor<3>& memory_BMC, const xt::xtensor<bool, 3>& src_mask_BXM,
                     const xt::xtensor<std::int64_t, 2>& tgt_BL,
                     const xt::xtensor<bool, 3>& tgt_mask_BXL);
    /// decode(encode(src), tgt) — the decoder's output, before the generator.
    Tensor<3> forward(const xt::xtensor<std::int64_t, 2>& src_BM,
                      const xt::xtensor<std::int64_t, 2>& tgt_BL,
                      const xt::xtensor<bool, 3>& src_mask_BXM,
                      const xt::xtensor<bool, 3>& tgt_mask_BXL);
    /// Backward through decode and encode (the last forward), given ∂L/∂out.
    void backward(const Tensor<3>& dout_BLC);

    /// Every parameter, in PyTorch's state_dict order; a shared matrix is listed once.
    ParameterList parameters();
    void train(bool training);

    std::vector<EncoderLayer> encoder_layers;
    LayerNorm encoder_norm;
    std::vector<DecoderLayer> decoder_layers;
    LayerNorm decoder_norm;
    EmbeddingStack src_embed;
    EmbeddingStack tgt_embed;
    Generator generator;

private:
    ModelConfig config_;
    std::size_t memory_length_ = 0;
    std::size_t batch_ = 0;
};

/// Greedy decoding as the Annotated Transformer's greedy_decode: start from `start`,
/// append the most probable next token max_len − 1 times. Returns [B, max_len].
xt::xtensor<std::int64_t, 2> greedy_decode(EncoderDecoder& model,
                                           const xt::xtensor<std::int64_t, 2>& src_BM,
                                           const xt::xtensor<bool, 3>& src_mask_BXM,
                                           std::size_t max_len, std::int64_t start);

}  // namespace tfm
