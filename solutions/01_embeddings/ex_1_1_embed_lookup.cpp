// Solution to exercise 1.1 — the embedding lookup, scaled by √C.
#include "01_embeddings/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace tfm::exercises {

xt::xtensor<float, 3> embed_lookup(const xt::xtensor<float, 2>& lut_VC,
                                   const xt::xtensor<std::int64_t, 2>& ids_BL) {
    const std::size_t V = lut_VC.shape()[0], C = lut_VC.shape()[1];
    const std::size_t B = ids_BL.shape()[0], L = ids_BL.shape()[1];
    const float scale = std::sqrt(static_cast<float>(C));
    xt::xtensor<float, 3> x_BLC = xt::xtensor<float, 3>::from_shape({B, L, C});
    for (std::size_t b = 0; b < B; ++b) {
        for (std::size_t l = 0; l < L; ++l) {
            const std::int64_t id = ids_BL(b, l);
            if (id < 0 || static_cast<std::size_t>(id) >= V) {
                throw std::out_of_range("token id " + std::to_string(id) + " outside [0, " +
                                        std::to_string(V) + ")");
            }
            for (std::size_t c = 0; c < C; ++c) x_BLC(b, l, c) = lut_VC(id, c) * scale;
        }
    }
    return x_BLC;
}

}  // namespace tfm::exercises
