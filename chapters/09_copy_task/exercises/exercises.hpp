// exercises.hpp — chapter 09's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

#include "07_encoder_decoder/encoder_decoder.hpp"

namespace tfm::exercises {

/// Exercise 9.1: the greedy choice. Given log-probabilities logp_BV of the next token
/// for B sequences, return the most probable token of each (the smallest id on a tie).
xt::xtensor<std::int64_t, 1> greedy_next_tokens(const Tensor<2>& logp_BV);

/// Exercise 9.2: the fraction of sequences decoded exactly: row b counts as right when
/// predicted_BL(b, l) == expected_BL(b, l) at every position l where expected_BL(b, l)
/// is not `pad`. Throws tfm::ShapeError if the shapes differ.
double sequence_accuracy(const xt::xtensor<std::int64_t, 2>& predicted_BL,
                         const xt::xtensor<std::int64_t, 2>& expected_BL, std::int64_t pad);

/// What exercise 9.3 measures on a batch of copy-task sources.
struct OrderMeasurement {
    double copy_accuracy = 0.0;  ///< the fraction of sources greedy decoding copies exactly
    double same_when_permuted =
        0.0;  ///< the fraction decoded exactly as their permuted versions are
};

/// Exercise 9.3: does the model see the order of its source? src_BL holds B copy-task
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
