// Solution to exercise 1.2 — the embedding backward: a scatter-add.
#include "01_embeddings/exercises/exercises.hpp"

#include <cmath>

namespace tfm::exercises {

void embed_backward(const xt::xtensor<std::int64_t, 2>& ids_BL, const xt::xtensor<float, 3>& dx_BLC,
                    xt::xtensor<float, 2>& dlut_VC) {
    const std::size_t C = dlut_VC.shape()[1];
    const float scale = std::sqrt(static_cast<float>(C));
    for (std::size_t b = 0; b < ids_BL.shape()[0]; ++b) {
        for (std::size_t l = 0; l < ids_BL.shape()[1]; ++l) {
            const auto id = static_cast<std::size_t>(ids_BL(b, l));
            for (std::size_t c = 0; c < C; ++c) dlut_VC(id, c) += scale * dx_BLC(b, l, c);
        }
    }
}

}  // namespace tfm::exercises
