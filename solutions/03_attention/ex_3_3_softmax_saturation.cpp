// Solution to exercise 3.3 — what the 1/√K is for: watch the softmax saturate.
#include "03_attention/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"

namespace tfm::exercises {

double mean_max_attention_weight(const xt::xtensor<float, 2>& q_LK,
                                 const xt::xtensor<float, 2>& k_MK, bool scaled) {
    const std::size_t L = q_LK.shape()[0], K = q_LK.shape()[1], M = k_MK.shape()[0];
    check_shape("k_MK", k_MK, {kAny, std::ptrdiff_t(K)});
    if (L == 0 || M == 0) return 0.0;
    // The scores, with the scale folded into sgemm's alpha (or none at all), then the weights.
    const float alpha = scaled ? 1.0f / std::sqrt(float(K)) : 1.0f;
    xt::xtensor<float, 2> scores_LM = xt::zeros<float>({L, M});
    matmul_into(q_LK, k_MK, scores_LM, Transpose::No, Transpose::Yes, alpha);
    const xt::xtensor<float, 2> weights_LM = softmax(scores_LM);
    double total = 0.0;
    for (std::size_t l = 0; l < L; ++l) {
        float largest = 0.0f;
        for (std::size_t m = 0; m < M; ++m) largest = std::max(largest, weights_LM(l, m));
        total += largest;
    }
    return total / double(L);
}

}  // namespace tfm::exercises
