// decoding.hpp — translating many sentences with a chosen search (chapter 11).
//
// Chapter 10's Translator decodes greedily without a cache. These functions run any of
// this chapter's searches over batches of sentences of similar length: greedy or beam,
// with the key/value cache or recomputing every prefix (to compare the two), and the
// attention maps of one translation for the figures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "10_translation/batching.hpp"
#include "10_translation/translator.hpp"
#include "search.hpp"

namespace tfm {

struct DecodeOptions {
    std::size_t beam = 1;             ///< 1: greedy search
    double alpha = 0.6;               ///< the length penalty's α (beam search)
    bool cache = true;                ///< false: recompute every prefix (chapter 07's way)
    bool compact = true;              ///< greedy: drop finished sentences from the batch
    std::size_t batch_tokens = 4096;  ///< padded source tokens per batch (divided by the beam)
    std::size_t batch_sentences = 0;  ///< at most this many sentences per batch (0: no limit)
    std::size_t extra = 50;           ///< outputs of at most source length + extra tokens
};

/// Decodes source sentences (ids without `<s>` and `</s>`) as `options` says; returns each
/// sentence's best hypothesis (ids without `<s>` and `</s>`), in the input order. An empty
/// source is not decoded: its hypothesis is empty, with log P and score 0.
std::vector<Hypothesis> decode_sentences(EncoderDecoder& model,
                                         const std::vector<std::vector<std::int64_t>>& sources,
                                         const DecodeOptions& options);

/// Decodes one batch of padded sources (chapter 10's SourceBatch) through the search of
/// `options`; returns their best hypotheses in the batch's order, and with `trace` the
/// search's steps. decode_sentences cuts its batches and runs each through this.
std::vector<Hypothesis> decode_batch(EncoderDecoder& model, const SourceBatch& batch,
                                     const DecodeOptions& options, SearchTrace* trace = nullptr);

/// Plain sentences in, plain translations out.
std::vector<std::string> translate_with(Translator& translator,
                                        const std::vector<std::string>& sentences,
                                        const DecodeOptions& options);

/// The attention weights of the trained model on one sentence pair, read with the
/// model's own translation as the target: per layer, [H, rows, columns] maps, and the
/// tokens along each axis; and, from the same forward pass, what the model predicts at
/// each position of the target.
struct AttentionMaps {
    std::vector<std::string> source_tokens;  ///< `<s>` … `</s>`, as the encoder reads them
    std::vector<std::string> target_tokens;  ///< `<s>` …, as the decoder reads them
    std::vector<Tensor<3>> encoder_self;     ///< per layer [H, M, M]
    std::vector<Tensor<3>> decoder_self;     ///< per layer [H, L, L]
    std::vector<Tensor<3>> decoder_cross;    ///< per layer [H, L, M]
    /// [L, V]: row i is log P(next token | source, target_tokens[0..i]).
    Tensor<2> next_log_probs;
};

/// Translates `sentence` greedily and reads the model's attention on it.
AttentionMaps attention_maps(Translator& translator, const std::string& sentence);

/// Reads the model's attention on a source and a given output (ids without `<s>` and
/// `</s>`; the decoder reads `<s>` and the output).
AttentionMaps attention_maps(Translator& translator, const std::vector<std::int64_t>& source,
                             const std::vector<std::int64_t>& output);

/// The token (or subword piece) strings of ids, for labels.
std::vector<std::string> token_strings(const TextCodec& codec,
                                       const std::vector<std::int64_t>& ids);

}  // namespace tfm
