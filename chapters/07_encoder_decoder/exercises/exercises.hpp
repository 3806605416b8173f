// exercises.hpp — chapter 07's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"

namespace tfm::exercises {

/// What exercise 7.1 measures on an untrained model.
struct UntrainedLoss {
    double loss = 0.0;            ///< mean −log p(label) over the label tokens
    double logit_variance = 0.0;  ///< the variance of the generator's logits within a row,
                                  ///< (1/|V|) Σ_v (z_v − z̄)² with z̄ that row's mean,
                                  ///< averaged over the rows
};

/// Exercise 7.1 (experiment): how wrong is an untrained model? Builds
/// EncoderDecoder(config, seed) in evaluation mode, runs it on B = 16 random source and
/// target sentences of 12 tokens, and measures the cross-entropy, in nats, of the targets'
/// next tokens — the decoder's input is the target without its last token, the labels are
/// the target without its first — together with the variance of the logits (the
/// generator's output before the log-softmax). Chapter 08's tfm::random_token_ids comes
/// later: draw the ids with the model's own rng, right after building it, the source's
/// [16, 12] first and then the target's, each row by row, every id
/// 1 + model.rng().below(V − 1) with V the side's vocabulary size. The sentences are then
/// fixed by the seed, and the test replays them: the loss must be that of the labels one
/// position ahead of the input, not merely a number of the right size.
UntrainedLoss untrained_loss(const ModelConfig& config, std::uint64_t seed);

/// Exercise 7.2 (derivation): the memory a training step keeps between forward and
/// backward. Returns the bytes that one EncoderDecoder::forward in training mode — dropout
/// above 0, source [B, M], target input [B, L], a [B, 1, M] source mask and a [B, L, L]
/// target mask — leaves in the model for its backward: every tensor, vector and mask its
/// modules keep (4 bytes a float, 8 a token id, 1 a bool), from the configuration and the
/// shapes alone. The parameters and their gradients, which exist before forward, do not
/// count; neither does forward's result.
std::size_t activation_bytes(const ModelConfig& config, std::size_t B, std::size_t M,
                             std::size_t L);

/// Exercise 7.3 (derivation): the work of greedy decoding. Returns the floating-point
/// operations of the matrix products (2 per multiply-add, what tfm::sgemm_flops() counts)
/// that tfm::greedy_decode performs for B sources of M tokens and max_len output tokens,
/// from the configuration and the shapes alone.
std::uint64_t greedy_decode_flops(const ModelConfig& config, std::size_t B, std::size_t M,
                                  std::size_t max_len);

}  // namespace tfm::exercises
