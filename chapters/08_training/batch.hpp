// batch.hpp — a training batch: source, shifted target, labels and masks (chapter 08).
//
// The decoder learns to predict token t+1 from tokens 0..t. So a target sentence
// [<s>, w1, w2, w3, </s>] is split in two, as the Annotated Transformer's Batch does:
//
//     decoder input  tgt_in_BL = target without its last token   [<s>, w1, w2, w3]
//     labels         tgt_y_BL  = target without its first token  [w1, w2, w3, </s>]
//
// position t of the decoder, seeing tgt_in[0..t] through the causal mask, must predict
// tgt_y[t]. Masks: the source padding mask [B, 1, M] and the target padding-and-causal
// mask [B, L, L]; `ntokens` counts the labels that are not padding — what the loss is
// averaged over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"

namespace tfm {

struct Batch {
    xt::xtensor<std::int64_t, 2> src_BM;
    xt::xtensor<bool, 3> src_mask_B1M;
    xt::xtensor<std::int64_t, 2> tgt_in_BL;
    xt::xtensor<std::int64_t, 2> tgt_y_BL;
    xt::xtensor<bool, 3> tgt_mask_BLL;
    std::size_t ntokens = 0;
};

/// Builds a batch from source ids [B, M] and full target ids [B, L + 1]; throws
/// tfm::ShapeError if the batch sizes differ or the target is shorter than 2 tokens.
Batch make_batch(const xt::xtensor<std::int64_t, 2>& src_BM,
                 const xt::xtensor<std::int64_t, 2>& tgt_BT, std::int64_t pad);

/// Token ids [rows, length] drawn uniformly from 1 … vocab − 1: every token but 0, which
/// the demos, tests and the copy task keep for padding.
xt::xtensor<std::int64_t, 2> random_token_ids(Rng& rng, std::size_t rows, std::size_t length,
                                              std::size_t vocab);

/// `count` batches of B random sequences: sources of M tokens, targets of T = L + 1
/// (random_token_ids, no padding). With `copy`, the target is the source (T = M).
std::vector<Batch> random_batches(Rng& rng, std::size_t count, std::size_t B, std::size_t M,
                                  std::size_t T, std::size_t vocab, bool copy = false);

}  // namespace tfm
