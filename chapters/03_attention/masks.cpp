// masks.cpp — building padding, causal and decoder masks.
#include "masks.hpp"

namespace tfm {

//! [masks]
xt::xtensor<bool, 3> padding_mask(const xt::xtensor<std::int64_t, 2>& ids_BM, std::int64_t pad) {
    const std::size_t B = ids_BM.shape()[0], M = ids_BM.shape()[1];
    xt::xtensor<bool, 3> mask_B1M = xt::xtensor<bool, 3>::from_shape({B, 1, M});
    for (std::size_t b = 0; b < B; ++b) {
        for (std::size_t m = 0; m < M; ++m) mask_B1M(b, 0, m) = ids_BM(b, m) != pad;
    }
    return mask_B1M;
}

xt::xtensor<bool, 3> subsequent_mask(std::size_t length) {
    xt::xtensor<bool, 3> mask_1LL = xt::xtensor<bool, 3>::from_shape({1, length, length});
    for (std::size_t l = 0; l < length; ++l) {
        for (std::size_t m = 0; m < length; ++m) mask_1LL(0, l, m) = m <= l;  // no peeking ahead
    }
    return mask_1LL;
}

xt::xtensor<bool, 3> decoder_mask(const xt::xtensor<std::int64_t, 2>& ids_BL, std::int64_t pad) {
    const std::size_t B = ids_BL.shape()[0], L = ids_BL.shape()[1];
    xt::xtensor<bool, 3> mask_BLL = xt::xtensor<bool, 3>::from_shape({B, L, L});
    for (std::size_t b = 0; b < B; ++b) {
        for (std::size_t l = 0; l < L; ++l) {
            for (std::size_t m = 0; m < L; ++m) mask_BLL(b, l, m) = m <= l && ids_BL(b, m) != pad;
        }
    }
    return mask_BLL;
}
//! [masks]

}  // namespace tfm
