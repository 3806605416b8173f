// exercises.hpp — chapter 09's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"

#include "07_encoder_decoder/encoder_decoder.hpp"

namespace tfm::exercises {

/// What exercise 9.1 measures at one length.
struct LengthAccuracy {
    std::size_t length = 0;           ///< tokens per sequence, the start symbol included
    double sequences = 0.0;           ///< the fraction of sequences copied exactly
    std::vector<double> by_position;  ///< per position, the fraction copied right
};

/// Exercise 9.1 (experiment): can a copy model copy sequences longer than any it was
/// trained on? For each length in `lengths`: draws `count` copy-task sources of that length
/// as one batch, tfm::copy_task_batches(rng, model's vocabulary, count, 1, length); greedy-
/// decodes `length` tokens from kCopyStart (tfm::greedy_decode, the model in evaluation
/// mode, a padding mask from kCopyPad); and returns the fraction of sequences decoded
/// exactly as their source, and at every position the fraction decoded right (position 0,
/// the start symbol, always is).
std::vector<LengthAccuracy> accuracy_by_length(EncoderDecoder& model,
                                               const std::vector<std::size_t>& lengths,
                                               std::size_t count, Rng& rng);

/// What exercise 9.2 finds for every source, from one teacher-forced pass.
struct CopyCertificate {
    std::vector<bool> argmax_everywhere;  ///< every label is the most probable token
    std::vector<bool> all_above_half;     ///< every label has probability above 1/2
};

/// Exercise 9.2 (derivation): which sources must greedy decoding copy? Runs the model (in
/// evaluation mode) once with teacher forcing, as training does — source src_BL, decoder
/// input the source without its last token, the causal mask — and reports for every
/// source whether, at every position, the label (the next token of the source) is the
/// most probable token, and whether its probability is above 1/2. No decoding.
CopyCertificate certify_copies(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL);

/// What exercise 9.3 measures on a batch of copy-task sources.
struct OrderMeasurement {
    double copy_accuracy = 0.0;  ///< the fraction of sources greedy decoding copies exactly
    double same_when_permuted =
        0.0;  ///< the fraction decoded exactly as their permuted versions are
};

/// Exercise 9.3 (experiment): does the model see the order of its source? src_BL holds B copy-task
/// sources of L tokens, each starting with tfm::kCopyStart; `permutation` reorders the
/// positions: the permuted row b holds src_BL(b, permutation[l]) at position l. Greedy-
/// decodes L tokens from kCopyStart (tfm::greedy_decode, the model in evaluation mode,
/// no padding) for every source and for every permuted source, and returns the fraction of
/// sources decoded exactly as themselves, and the fraction decoded exactly as their
/// permuted versions are. Throws std::invalid_argument unless `permutation` holds each of
/// 0 .. L − 1 once and leaves position 0, the start symbol, in place.
OrderMeasurement measure_order(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL,
                               const std::vector<std::size_t>& permutation);

}  // namespace tfm::exercises
