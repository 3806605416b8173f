// masks.hpp — which keys each query may attend to (chapter 03).
//
// A mask is a bool tensor, true = "may attend". Masks are [B, 1, M] or [B, L, M]: the
// middle dimension is 1 when every query row shares the mask (padding), L when each
// query row has its own (the causal mask). Heads share the mask, as in the Annotated
// Transformer (which unsqueezes it to [B, 1, ·, M]).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xtensor/xtensor.hpp>

namespace tfm {

/// [B, 1, M]: true where the source token is not padding. Every query may attend to
/// every real token and to no padding token.
xt::xtensor<bool, 3> padding_mask(const xt::xtensor<std::int64_t, 2>& ids_BM, std::int64_t pad);

/// [1, L, L]: true on and below the diagonal. Query l may attend to keys 0..l — the
/// words before it and itself, never the words after it.
xt::xtensor<bool, 3> subsequent_mask(std::size_t length);

/// [B, L, L]: the decoder's mask, padding and causal combined (both must allow).
xt::xtensor<bool, 3> decoder_mask(const xt::xtensor<std::int64_t, 2>& ids_BL, std::int64_t pad);

}  // namespace tfm
