// gpt.hpp — a decoder-only Transformer language model (chapter 12).
//
// The encoder-decoder of chapter 07 reads a source and writes a target. A language
// model has no source: it reads a text and, at every position, predicts the next token.
// What remains of the Transformer is the decoder without its cross-attention — a stack
// of blocks, each causal self-attention then a feed-forward network, both inside
// pre-norm residual connections (chapter 06):
//
//     h = wte[ids] + wpe[0..L)                           token and position embeddings
//     h = h + attn(ln_1(h))     (causal: position t sees 0..t)
//     h = h + mlp(ln_2(h)),     mlp(x) = c_proj(gelu(c_fc(x)))      × n_layer
//     logits = ln_f(h) · wteᵀ                            the output tied to the input table
//
// This is the layout of GPT-2 (Radford et al., 2019) as nanoGPT writes it, built from
// this book's pieces: chapter 01's embedding table (unscaled), chapter 04's multi-head
// attention with chapter 03's causal mask, Linear layers, and chapter 12's GELU and
// standard LayerNorm. Two things are new:
//
// * learned position embeddings: a [block_size, C] table trained like any weight, in
//   place of chapter 02's fixed sinusoids; the price is a hard limit — no position past
//   block_size has an embedding;
// * the output projection is the token table itself (weight tying, as chapter 10's
//   shared subwords): logits = h · wteᵀ, and wte's gradient is the sum from both uses.
//
// Parameter names follow the modules: wte.weight, wpe.weight, h.<i>.ln_1.weight,
// h.<i>.attn.linears.<0..3>.weight, h.<i>.mlp.c_fc.weight, ..., ln_f.weight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/npy.hpp"
#include "01_embeddings/embeddings.hpp"
#include "02_positional_encoding/dropout.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"
#include "08_training/training_run.hpp"
#include "gpt_layers.hpp"
#include "next_token_model.hpp"

namespace tfm {

template <class Config>
class FieldTable;  // chapter 07's config_fields.hpp

struct GPTConfig {
    std::size_t vocab = 65;
    std::size_t block_size = 64;  ///< the longest context: the rows of wpe
    std::size_t n_layer = 4;
    std::size_t n_head = 4;
    std::size_t n_embd = 128;
    float dropout = 0.0f;
    bool bias = false;  ///< biases in the Linear layers and LayerNorms

    /// The fields, their ranges and flags (chapter 07's config_fields.hpp): config.json,
    /// the command line, the checks and the comparison all come from this one table.
    static const FieldTable<GPTConfig>& fields();
    /// Throws std::invalid_argument naming the first unusable value.
    void validate() const;
    /// How many numbers the model's parameters hold, from the configuration alone.
    std::size_t parameter_count() const;
    /// config.json's text for this configuration (the table's fields, in its order).
    std::string to_json() const;
    /// Parses and validates; errors are CheckpointErrors naming `source` and the field.
    static GPTConfig from_json(const std::string& text, const std::string& source);
    bool operator==(const GPTConfig& o) const;
    bool operator!=(const GPTConfig& o) const { return !(*this == o); }
};

class GPTBlock {
public:
    GPTBlock(const GPTConfig& config, Rng& rng, const std::string& prefix);
    Tensor<3> forward(const Tensor<3>& x_BLC, const xt::xtensor<bool, 3>& mask_1LL);
    Tensor<3> backward(const Tensor<3>& dy_BLC);
    ParameterList parameters();
    void train(bool training);

    StandardLayerNorm ln_1;
    MultiHeadedAttention attn;
    StandardLayerNorm ln_2;
    Linear c_fc;    ///< C → 4C
    Linear c_proj;  ///< 4C → C

private:
    Dropout attn_dropout_, mlp_dropout_;  ///< on each branch's output, before the residual sum
    Tensor<3> h_BLF_;                     ///< c_fc's output, for GELU's backward
};

class GPT : public NextTokenModel {
    std::unique_ptr<Rng> rng_;                // first: the layers keep a pointer to it (dropout)
    std::unique_ptr<Parameter> token_table_;  // wte's table and lm_head's weight, tied

public:
    using Config = GPTConfig;

    /// Builds the model and initialises it as nanoGPT does: every weight matrix and both
    /// embedding tables N(0, 0.02²), biases 0, and the two projections that end a
    /// residual branch (attn.linears.3, mlp.c_proj) N(0, (0.02/√(2·n_layer))²), so that
    /// the residual stream's variance does not grow with depth.
    GPT(const GPTConfig& config, std::uint64_t seed);

    const GPTConfig& config() const { return config_; }
    Rng& rng() { return *rng_; }

    /// ids_BL (L ≤ block_size) → logits_BLV.
    Tensor<3> forward(const xt::xtensor<std::int64_t, 2>& ids_BL) override;
    /// Given ∂L/∂logits, accumulates every parameter's gradient.
    void backward(const Tensor<3>& dlogits_BLV) override;

    ParameterList parameters() override;
    void train(bool training) override;
    std::size_t vocab() const override { return config_.vocab; }
    std::size_t context() const override { return config_.block_size; }
    /// A GPTCache (sampling.hpp).
    std::unique_ptr<TokenCache> make_cache(std::size_t rows) override;
    /// config.json and one .npy per parameter in model/ (for chapter 08's training runs).
    ModelFiles files() override;

    Embeddings wte;  ///< [V, C], also the output projection
    Parameter wpe;   ///< [block_size, C]
    std::vector<GPTBlock> blocks;
    StandardLayerNorm ln_f;
    Linear lm_head;  ///< C → V, its weight shared with wte

private:
    GPTConfig config_;
    std::size_t batch_ = 0, length_ = 0;
};

/// Saves a GPT's config.json and parameters into directory `dir` (atomically), and loads one.
void save_gpt(const std::string& dir, GPT& model, DType storage = DType::Float32);
GPT load_gpt(const std::string& dir);

}  // namespace tfm
