// batch.cpp — splitting the target and building the masks.
#include "batch.hpp"

#include <stdexcept>
#include <string>

#include <xtensor/xview.hpp>

#include "00_tensors/shapes.hpp"
#include "03_attention/masks.hpp"

namespace tfm {

//! [make batch]
Batch make_batch(const xt::xtensor<std::int64_t, 2>& src_BM,
                 const xt::xtensor<std::int64_t, 2>& tgt_BT, std::int64_t pad) {
    if (src_BM.shape()[0] != tgt_BT.shape()[0]) {
        throw ShapeError("make_batch: " + std::to_string(src_BM.shape()[0]) +
                         " source sentences but " + std::to_string(tgt_BT.shape()[0]) +
                         " target sentences");
    }
    const std::size_t T = tgt_BT.shape()[1];
    if (T < 2)
        throw ShapeError("make_batch: a target needs at least 2 tokens (input and label), got " +
                         std::to_string(T));
    Batch batch;
    batch.src_BM = src_BM;
    batch.src_mask_B1M = padding_mask(src_BM, pad);
    batch.tgt_in_BL = xt::view(tgt_BT, xt::all(), xt::range(0, T - 1));  // drop the last token
    batch.tgt_y_BL = xt::view(tgt_BT, xt::all(), xt::range(1, T));       // drop the first
    batch.tgt_mask_BLL = decoder_mask(batch.tgt_in_BL, pad);
    for (std::int64_t y : batch.tgt_y_BL) batch.ntokens += y != pad;
    return batch;
}
//! [make batch]

xt::xtensor<std::int64_t, 2> random_token_ids(Rng& rng, std::size_t rows, std::size_t length,
                                              std::size_t vocab) {
    if (vocab < 2) throw std::invalid_argument("random_token_ids: needs a vocabulary of 2 or more");
    xt::xtensor<std::int64_t, 2> ids = xt::xtensor<std::int64_t, 2>::from_shape({rows, length});
    for (auto& id : ids) id = 1 + std::int64_t(rng.below(std::uint32_t(vocab - 1)));
    return ids;
}

std::vector<Batch> random_batches(Rng& rng, std::size_t count, std::size_t B, std::size_t M,
                                  std::size_t T, std::size_t vocab, bool copy) {
    std::vector<Batch> batches;
    batches.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const xt::xtensor<std::int64_t, 2> src_BM = random_token_ids(rng, B, M, vocab);
        batches.push_back(copy ? make_batch(src_BM, src_BM, 0)
                               : make_batch(src_BM, random_token_ids(rng, B, T, vocab), 0));
    }
    return batches;
}

}  // namespace tfm
