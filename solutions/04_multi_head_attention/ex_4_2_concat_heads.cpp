// Solution to exercise 4.2 — concatenating the heads again.
#include "04_multi_head_attention/exercises/exercises.hpp"

namespace tfm::exercises {

xt::xtensor<float, 3> concat_heads(const xt::xtensor<float, 4>& x_BHLK) {
    const std::size_t B = x_BHLK.shape()[0], H = x_BHLK.shape()[1], L = x_BHLK.shape()[2],
                      K = x_BHLK.shape()[3];
    xt::xtensor<float, 3> out = xt::xtensor<float, 3>::from_shape({B, L, H * K});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H; ++h)
            for (std::size_t l = 0; l < L; ++l)
                for (std::size_t k = 0; k < K; ++k) out(b, l, h * K + k) = x_BHLK(b, h, l, k);
    return out;
}

}  // namespace tfm::exercises
