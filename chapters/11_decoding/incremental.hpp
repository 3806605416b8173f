// incremental.hpp — decoding one token at a time with a key/value cache (chapter 11).
//
// Chapter 07's greedy decoding, like the Annotated Transformer's, runs the whole decoder
// over the whole prefix for every new token: step t recomputes the t − 1 positions it
// computed before, so L tokens cost O(L²) decoder positions. Nothing about those
// positions changes — the causal mask guarantees that position j never sees anything
// after it — so their values can be kept:
//
//   * the encoder runs once per sentence;
//   * each decoder layer's cross-attention keys and values, memory·W_K and memory·W_V,
//     are projected once;
//   * each self-attention layer keeps the keys and values of the tokens decoded so far
//     (its "cache") and appends one row per step;
//
// so a step runs only the newest token through the decoder: its query attends to the
// cached keys, and its own key and value join the cache. L tokens cost O(L) positions.
//
// A *step decoder* holds R rows — sentences, or sentences × beams — each with its own
// cache. step() feeds one token per row and returns the log-probabilities of the next;
// select() keeps a subset of the rows, in a given order, repeats allowed: greedy search
// drops the rows that have finished, beam search copies the rows of the beams it keeps.
// RecomputingDecoder has the same interface without a cache (chapter 07's way), for the
// tests and the benchmark: both must give the same numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "07_encoder_decoder/encoder_decoder.hpp"
#include "kv_cache.hpp"

namespace tfm {

class StepDecoder {
public:
    virtual ~StepDecoder() = default;
    /// How many rows are being decoded.
    virtual std::size_t rows() const = 0;
    /// How many tokens each row has consumed so far (the same for every row).
    virtual std::size_t length() const = 0;
    /// The source sentence (index into the batch given at construction) of each row.
    virtual const std::vector<std::size_t>& sources() const = 0;
    /// Appends one token per row (tokens_R.size() == rows()) and returns the
    /// log-probabilities of each row's next token, [rows, V].
    virtual Tensor<2> step(const std::vector<std::int64_t>& tokens_R) = 0;
    /// Keeps the rows `keep`, in this order; a row may be kept more than once.
    virtual void select(const std::vector<std::size_t>& keep) = 0;
    /// The most tokens a row can consume: the model's positions. A search stops every
    /// hypothesis one short of it (max_output_tokens), however long its source.
    virtual std::size_t max_length() const = 0;
};

/// The model's encoder output for a batch of sources, and its padding mask.
struct EncodedSources {
    Tensor<3> memory_BMC;
    xt::xtensor<bool, 3> mask_B1M;
};

/// Runs the encoder on `sources` (ids with `<s>` and `</s>`, padded with `pad` to one length).
EncodedSources encode_sources(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BM,
                              std::int64_t pad);

class CachedDecoder : public StepDecoder {
public:
    /// One row per source; `capacity` is the longest prefix expected (the cache grows if
    /// a row goes past it).
    CachedDecoder(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BM,
                  std::int64_t pad, std::size_t capacity = 64);

    std::size_t rows() const override { return sources_.size(); }
    std::size_t length() const override { return length_; }
    const std::vector<std::size_t>& sources() const override { return sources_; }
    Tensor<2> step(const std::vector<std::int64_t>& tokens_R) override;
    void select(const std::vector<std::size_t>& keep) override;
    std::size_t max_length() const override { return model_.tgt_embed.position.max_len(); }

    /// Bytes held for the rows' keys and values: the self-attention caches,
    /// R·N·2·length·C floats, and the projected memory, R·N·2·M·C floats.
    std::size_t self_cache_bytes() const;
    std::size_t memory_cache_bytes() const;

private:
    void grow(std::size_t capacity);

    EncoderDecoder& model_;
    std::size_t heads_, head_size_, memory_length_, capacity_, length_ = 0;
    std::vector<std::size_t> sources_;
    xt::xtensor<bool, 3> mask_R1M_;
    // Per decoder layer: self-attention keys and values [R, H, capacity, K], and the
    // cross-attention keys and values of the memory [R, H, M, K].
    std::vector<Tensor<4>> self_k_, self_v_, memory_k_, memory_v_;
};

class RecomputingDecoder : public StepDecoder {
public:
    RecomputingDecoder(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BM,
                       std::int64_t pad);

    std::size_t rows() const override { return sources_.size(); }
    std::size_t length() const override { return length_; }
    const std::vector<std::size_t>& sources() const override { return sources_; }
    Tensor<2> step(const std::vector<std::int64_t>& tokens_R) override;
    void select(const std::vector<std::size_t>& keep) override;
    std::size_t max_length() const override { return model_.tgt_embed.position.max_len(); }

private:
    EncoderDecoder& model_;
    EncodedSources encoded_;
    std::vector<std::size_t> sources_;
    std::vector<std::vector<std::int64_t>> history_;  ///< per row, the tokens so far
    std::size_t length_ = 0;
};

}  // namespace tfm
