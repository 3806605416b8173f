// exercises.hpp — chapter 07's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

#include "07_encoder_decoder/encoder_decoder.hpp"

namespace tfm::exercises {

/// Exercise 7.1: the generator's log-softmax of one row of logits, computed so that
/// logits of 1000 neither overflow nor lose the answer: z_v − max − log Σ exp(z_u − max).
Tensor<1> log_softmax_row(const Tensor<1>& z_V);

/// Exercise 7.2: the number of parameters make_model creates for a configuration, from
/// the formula (no model built): embeddings, attention, feed-forward, norms, generator.
std::size_t count_model_parameters(const ModelConfig& config);

/// Exercise 7.3: the gradient of the memory, through the whole decoder. The model's last
/// call was decode(memory_BMC, …) — or forward, which decodes the memory it encodes —
/// with dropout off, and dout_BLC is ∂L/∂(the decoder's output). Runs the decoder's
/// backward and returns ∂L/∂memory [B, M, C]: what EncoderDecoder::backward hands on to
/// the encoder. Like that backward, it accumulates the decoder's parameter gradients.
Tensor<3> decoder_memory_gradient(EncoderDecoder& model, const Tensor<3>& memory_BMC,
                                  const Tensor<3>& dout_BLC);

}  // namespace tfm::exercises
