// Solution to exercise 4.1 — splitting the channels into heads.
#include "04_multi_head_attention/exercises/exercises.hpp"

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

xt::xtensor<float, 4> split_into_heads(const xt::xtensor<float, 3>& x_BLC, std::size_t heads) {
    const std::size_t B = x_BLC.shape()[0], L = x_BLC.shape()[1], C = x_BLC.shape()[2];
    if (heads == 0 || C % heads != 0) throw ShapeError("split_into_heads: H must divide C");
    const std::size_t K = C / heads;
    xt::xtensor<float, 4> out = xt::xtensor<float, 4>::from_shape({B, heads, L, K});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < heads; ++h)
            for (std::size_t l = 0; l < L; ++l)
                for (std::size_t k = 0; k < K; ++k) out(b, h, l, k) = x_BLC(b, l, h * K + k);
    return out;
}

}  // namespace tfm::exercises
