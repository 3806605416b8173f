// modern_decoder.hpp — a decoder-only model as today's open models build it (chapter 14).
//
// The same stack as chapter 12's GPT — token embeddings, N pre-norm blocks of causal
// self-attention and a feed-forward network, a final norm, an output head tied to the
// token table — with the four pieces of modern_layers.hpp in place of GPT-2's:
//
//     h = E[x]                                   no position table: positions are in RoPE
//     h = h + attn(norm_1(h))     grouped-query attention, queries and keys rotated (RoPE)
//     h = h + mlp(norm_2(h))      SwiGLU                                         × N
//     logits = norm(h) · Eᵀ                      norm = RMSNorm, everywhere
//
// This is the block of LLaMA (Touvron et al., 2023) and of most open models since, at the
// size of chapter 12's run. Each piece can be switched back to GPT-2's (learned positions,
// LayerNorm, a GELU network, as many key/value heads as query heads) so that the chapter
// can add them one at a time and measure each; with all four switched back, the model
// computes exactly chapter 12's GPT (modern_from_gpt, and a test).
//
// Equal size: unless told otherwise (ffn_hidden), the feed-forward width F is chosen so
// that the model has as many parameters as chapter 12's GPT of the same C, N and
// vocabulary. For SwiGLU with G = H that is the familiar F = 2/3 · 4C; fewer key/value
// heads, or no position table, leave parameters over, and F grows to take them.
//
// Parameter names are those of LLaMA in Hugging Face's transformers:
// model.embed_tokens.weight, model.layers.<i>.input_layernorm.weight,
// model.layers.<i>.self_attn.{q,k,v,o}_proj.weight,
// model.layers.<i>.post_attention_layernorm.weight,
// model.layers.<i>.mlp.{gate,up,down}_proj.weight, model.norm.weight (and
// model.embed_positions.weight with learned positions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "01_embeddings/embeddings.hpp"
#include "12_language_model/char_text.hpp"
#include "12_language_model/gpt.hpp"
#include "12_language_model/gpt_layers.hpp"
#include "12_language_model/next_token_model.hpp"
#include "modern_layers.hpp"

namespace tfm {

template <class Config>
class FieldTable;  // chapter 07's config_fields.hpp

struct ModernConfig {
    std::size_t vocab = 65;
    std::size_t block_size = 64;  ///< the training context (with learned positions, the most)
    std::size_t n_layer = 4;
    std::size_t n_head = 4;     ///< H, query heads
    std::size_t n_kv_head = 2;  ///< G, key/value heads (dividing H)
    std::size_t n_embd = 128;
    std::size_t ffn_hidden = 0;     ///< F; 0: as wide as keeps chapter 12's parameter count
    std::string position = "rope";  ///< "rope" or "learned"
    std::string norm = "rms";       ///< "rms" or "layer" (chapter 12's, without bias)
    std::string mlp = "swiglu";     ///< "swiglu" or "gelu" (chapter 12's, F wide)
    double rope_base = 10000.0;

    static const FieldTable<ModernConfig>& fields();
    /// Throws std::invalid_argument naming the first unusable value.
    void validate() const;
    /// config.json's text for this configuration (the table's fields, in its order).
    std::string to_json() const;
    /// Parses and validates; errors are CheckpointErrors naming `source` and the field.
    static ModernConfig from_json(const std::string& text, const std::string& source);
    bool operator==(const ModernConfig& o) const;
    bool operator!=(const ModernConfig& o) const { return !(*this == o); }

    /// The feed-forward width in use: ffn_hidden, or the width that matches
    /// gpt_parameter_count() as closely as a whole number can.
    std::size_t hidden() const;
    /// The parameters of chapter 12's GPT with this vocabulary, context, C and N.
    std::size_t gpt_parameter_count() const;
    /// The parameters of this model (without building it).
    std::size_t parameter_count() const;
};

/// The configuration under which the modern decoder is chapter 12's GPT (bias off).
ModernConfig gpt_equivalent(const GPTConfig& gpt);

/// The GPT's feed-forward network with a width of its own: down(gelu(up(x))).
class GeluMLP {
public:
    GeluMLP(std::size_t d_model, std::size_t hidden, Rng& rng, const std::string& prefix);
    Tensor<3> forward(const Tensor<3>& x_BLC);
    Tensor<3> backward(const Tensor<3>& dy_BLC);
    ParameterList parameters();

    Linear up_proj, down_proj;

private:
    Tensor<3> h_BLF_;
};

/// RMSNorm or chapter 12's LayerNorm (no bias), as the config says.
using Norm = std::variant<RMSNorm, StandardLayerNorm>;
/// SwiGLU or the GELU network, as the config says.
using FeedForward = std::variant<SwiGLU, GeluMLP>;

class ModernBlock {
public:
    ModernBlock(const ModernConfig& config, const RotaryEmbedding* rope, Rng& rng,
                const std::string& prefix);
    Tensor<3> forward(const Tensor<3>& x_BLC);
    Tensor<3> backward(const Tensor<3>& dy_BLC);
    ParameterList parameters();

    Norm input_norm;
    GroupedQueryAttention self_attn;
    Norm post_attention_norm;
    FeedForward mlp;
};

class ModernDecoder : public NextTokenModel {
    std::unique_ptr<Rng> rng_;
    std::unique_ptr<RotaryEmbedding> rope_;   // null with learned positions; blocks point here
    std::unique_ptr<Parameter> token_table_;  // the embedding's table and the head's weight

public:
    using Config = ModernConfig;

    /// Builds and initialises the model as chapter 12 initialises the GPT: every matrix
    /// N(0, 0.02²), the two that end a residual branch (o_proj, down_proj)
    /// N(0, (0.02/√(2N))²), norm gains 1.
    ModernDecoder(const ModernConfig& config, std::uint64_t seed);

    const ModernConfig& config() const { return config_; }
    Rng& rng() { return *rng_; }
    const RotaryEmbedding* rope() const { return rope_.get(); }

    /// ids_BL → logits_BLV. With RoPE, L may exceed block_size (positions it never
    /// trained on); with learned positions it may not.
    Tensor<3> forward(const xt::xtensor<std::int64_t, 2>& ids_BL) override;
    void backward(const Tensor<3>& dlogits_BLV) override;
    ParameterList parameters() override;
    void train(bool) override {}  // no dropout
    std::size_t vocab() const override { return config_.vocab; }
    std::size_t context() const override { return config_.block_size; }
    /// A ModernCache.
    std::unique_ptr<TokenCache> make_cache(std::size_t rows) override;
    ModelFiles files() override;

    Embeddings embed_tokens;    ///< [V, C], also the output head
    Parameter embed_positions;  ///< [block_size, C] with learned positions, else empty
    std::vector<ModernBlock> layers;
    Norm norm;
    Linear lm_head;  ///< C → V, its weight the token table

private:
    ModernConfig config_;
    std::size_t batch_ = 0, length_ = 0;
};

/// The key/value cache of the modern decoder: per block [R, G, block_size, K] keys —
/// already rotated to their positions, so nothing cached ever changes — and values. A
/// step rotates the new query and key to position length(), and each group of H/G query
/// heads reads its one key/value head (chapter 11's attend_one).
class ModernCache : public LayerKVCache {
public:
    ModernCache(ModernDecoder& model, std::size_t rows);
    Tensor<2> step(const std::vector<std::int64_t>& tokens_R) override;

private:
    ModernDecoder& model_;
};

/// The modern decoder computing what `gpt` computes: gpt_equivalent's configuration and
/// the GPT's weights, parameter for parameter (the two lists are in the same order).
/// Throws std::invalid_argument for a GPT with biases or dropout.
ModernDecoder modern_from_gpt(GPT& gpt);

/// Saves a modern decoder's config.json and parameters into `dir` (atomically); loads one.
void save_modern_decoder(const std::string& dir, ModernDecoder& model);
ModernDecoder load_modern_decoder(const std::string& dir);

/// The kind of a modern decoder's training run, and of its language-model directory.
inline constexpr const char* kModernRunKind = "modern decoder training run";

/// A trained modern decoder with its characters (a training run's model/ and
/// vocabulary.txt).
struct ModernLanguageModel {
    ModernDecoder model;
    CharVocabulary vocabulary;
};
ModernLanguageModel load_modern_language_model(const std::string& dir);

/// The loss at each position of a window, over the whole of `data`.
struct PositionLosses {
    std::vector<double> loss;  ///< mean cross-entropy (nats) at positions 0 .. length − 1
    std::size_t windows = 0;   ///< how many windows each mean is over
    /// The mean over every position: every character predicted once, with 0 .. length − 1
    /// characters of context.
    double mean() const;
};

/// Cuts `data` into consecutive windows of length + 1 ids, each starting where the last
/// one's prediction ended (so every id but the first is predicted exactly once, up to the
/// last incomplete window), runs them through `model` `batch` at a time in evaluation
/// mode, and averages the cross-entropy at each position.
PositionLosses loss_by_position(NextTokenModel& model, const std::vector<std::int64_t>& data,
                                std::size_t length, std::size_t batch = 32);

}  // namespace tfm
