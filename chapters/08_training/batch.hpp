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

#include <xtensor/xtensor.hpp>

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
Batch make_batch(const xt::xtensor<std::int64_t, 2>& src_BM, const xt::xtensor<std::int64_t, 2>& tgt_BT,
                 std::int64_t pad);

}  // namespace tfm
