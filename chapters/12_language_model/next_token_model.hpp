// next_token_model.hpp — what the training loop and the sampler need of a language model
// (chapter 12).
//
// The loop that trains the GPT (lm_training.hpp), the loss it estimates and the sampler
// that writes with it (sampling.hpp) never look inside the model: they feed it ids, take
// logits back, hand it the logits' gradient, and walk its parameters. That is all this
// interface asks, so the same loop trains this chapter's GPT and chapter 14's modern
// decoder, and the same sampler writes with both:
//
//     forward(ids_BL) → logits_BLV      backward(dlogits_BLV)      parameters()
//     vocab(), context()                the sizes the loop and the sampler need
//     make_cache(R)                     a cache that runs one token per row and step
//     files()                           what a training run saves (chapter 08)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/npy.hpp"
#include "00_tensors/parameter.hpp"
#include "08_training/training_run.hpp"

namespace tfm {

/// Generation one token at a time: each row keeps the keys and values of the tokens it
/// has been fed, so a step runs only the newest one (chapter 11's cache).
class TokenCache {
public:
    virtual ~TokenCache() = default;
    /// Feeds one token per row at position length(); returns the next token's logits, [R, V].
    virtual Tensor<2> step(const std::vector<std::int64_t>& tokens_R) = 0;
    /// The number of tokens fed since the last reset.
    virtual std::size_t length() const = 0;
    /// Empties the cache (the next step is position 0 again).
    virtual void reset() = 0;
    /// The positions it has room for, and the bytes its keys and values take.
    virtual std::size_t capacity() const = 0;
    virtual std::size_t bytes() const = 0;
};

/// What every layer-by-layer key/value cache keeps: per layer, keys and values
/// [R, heads, capacity, K] (zeros until written), and how many positions are filled. A
/// model's cache derives from it and writes step() (chapter 12's GPTCache, chapter 14's
/// ModernCache).
class LayerKVCache : public TokenCache {
public:
    std::size_t length() const override { return length_; }
    void reset() override { length_ = 0; }
    std::size_t capacity() const override { return capacity_; }
    std::size_t bytes() const override;

protected:
    /// `name` prefixes its errors; `heads` are the key/value heads of each layer.
    LayerKVCache(std::string name, std::size_t layers, std::size_t rows, std::size_t heads,
                 std::size_t capacity, std::size_t head_size);
    /// The start of every step: one token per row, and room for position length().
    /// Returns the tokens as ids [R, 1].
    xt::xtensor<std::int64_t, 2> step_ids(const std::vector<std::int64_t>& tokens_R) const;

    std::string name_;
    std::size_t rows_, capacity_, length_ = 0;
    std::vector<Tensor<4>> k_, v_;  ///< per layer [R, heads, capacity, K]
};

/// A model that predicts, at every position, the next token.
class NextTokenModel {
public:
    virtual ~NextTokenModel() = default;
    /// ids_BL → logits_BLV: position l predicts token l + 1.
    virtual Tensor<3> forward(const xt::xtensor<std::int64_t, 2>& ids_BL) = 0;
    /// Given ∂L/∂logits of the last forward, accumulates every parameter's gradient.
    virtual void backward(const Tensor<3>& dlogits_BLV) = 0;
    virtual ParameterList parameters() = 0;
    /// Training mode (dropout on) or evaluation mode.
    virtual void train(bool training) = 0;
    /// The number of token ids.
    virtual std::size_t vocab() const = 0;
    /// The context it is trained on: the length of the training windows, and of the
    /// sampler's window.
    virtual std::size_t context() const = 0;
    /// A cache for `rows` sequences, with room for context() positions.
    virtual std::unique_ptr<TokenCache> make_cache(std::size_t rows) = 0;
    /// What a training run saves of it: parameters, random generator, config.json.
    virtual ModelFiles files() = 0;
};

/// Writes a model's config.json and one .npy per parameter into the existing directory
/// `dir` (float32, or float16 with half the bytes).
void write_model_files(const std::string& dir, NextTokenModel& model,
                       DType storage = DType::Float32);

/// The text of `dir`/config.json; a missing directory or file is a CheckpointError.
std::string read_config_text(const std::string& dir);

/// `dir`/config.json read as a `Config` by its field table (chapter 07) and validated:
/// every error is a CheckpointError naming the file and the field.
template <class Config>
Config read_model_config(const std::string& dir) {
    return Config::from_json(read_config_text(dir), dir + "/config.json");
}

/// Checks the header of `dir`/`key`.npy against `expected` before a model of that size is
/// built: a config.json that promises another size is a CheckpointError.
void check_stored_shape(const std::string& dir, const std::string& key,
                        const std::vector<std::size_t>& expected);

}  // namespace tfm
