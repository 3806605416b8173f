// Solution to exercise 3.2 — one head of scaled dot-product attention.
#include "03_attention/exercises/exercises.hpp"

#include <cmath>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"

namespace tfm::exercises {

xt::xtensor<float, 2> attention_one_head(const xt::xtensor<float, 2>& q_LK,
                                         const xt::xtensor<float, 2>& k_MK,
                                         const xt::xtensor<float, 2>& v_MK,
                                         const xt::xtensor<bool, 2>& mask_LM) {
    const std::size_t L = q_LK.shape()[0], K = q_LK.shape()[1], M = k_MK.shape()[0];
    check_shape("k_MK", k_MK, {kAny, std::ptrdiff_t(K)});
    check_shape("v_MK", v_MK, {std::ptrdiff_t(M), std::ptrdiff_t(K)});
    check_shape("mask_LM", mask_LM, {std::ptrdiff_t(L), std::ptrdiff_t(M)});
    xt::xtensor<float, 2> scores_LM = xt::zeros<float>({L, M});
    matmul_into(q_LK, k_MK, scores_LM, Transpose::No, Transpose::Yes, 1.0f / std::sqrt(float(K)));
    for (std::size_t l = 0; l < L; ++l) {
        for (std::size_t m = 0; m < M; ++m) {
            if (!mask_LM(l, m)) scores_LM(l, m) = -1e9f;
        }
    }
    const xt::xtensor<float, 2> weights_LM = softmax(scores_LM);
    xt::xtensor<float, 2> out_LK = xt::zeros<float>({L, K});
    matmul_into(weights_LM, v_MK, out_LK);
    return out_LK;
}

}  // namespace tfm::exercises
