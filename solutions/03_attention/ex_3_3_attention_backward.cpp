// Solution to exercise 3.3 — the backward of one head of attention: dq and dk.
#include "03_attention/exercises/exercises.hpp"

#include <cmath>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"

namespace tfm::exercises {

HeadGrads attention_one_head_backward(const xt::xtensor<float, 2>& q_LK,
                                      const xt::xtensor<float, 2>& k_MK,
                                      const xt::xtensor<float, 2>& v_MK,
                                      const xt::xtensor<float, 2>& dout_LK) {
    const std::size_t L = q_LK.shape()[0], K = q_LK.shape()[1], M = k_MK.shape()[0];
    check_shape("k_MK", k_MK, {kAny, std::ptrdiff_t(K)});
    check_shape("v_MK", v_MK, {std::ptrdiff_t(M), std::ptrdiff_t(K)});
    check_shape("dout_LK", dout_LK, {std::ptrdiff_t(L), std::ptrdiff_t(K)});
    // The forward again, up to the weights p [L, M].
    const float scale = 1.0f / std::sqrt(float(K));
    xt::xtensor<float, 2> scores_LM = xt::zeros<float>({L, M});
    matmul_into(q_LK, k_MK, scores_LM, Transpose::No, Transpose::Yes, scale);
    const xt::xtensor<float, 2> p_LM = softmax(scores_LM);
    HeadGrads grads;
    // out = p·v  ⇒  dv = pᵀ·dout [M, K] and dp = dout·vᵀ [L, M].
    grads.dv_MK = xt::zeros<float>({M, K});
    matmul_into(p_LM, dout_LK, grads.dv_MK, Transpose::Yes, Transpose::No);
    xt::xtensor<float, 2> dp_LM = xt::zeros<float>({L, M});
    matmul_into(dout_LK, v_MK, dp_LM, Transpose::No, Transpose::Yes);
    // p = softmax(s), row by row  ⇒  ds_lm = p_lm · (dp_lm − Σ_m' dp_lm' p_lm').
    xt::xtensor<float, 2> ds_LM = xt::zeros<float>({L, M});
    for (std::size_t l = 0; l < L; ++l) {
        double dp_dot_p = 0.0;
        for (std::size_t m = 0; m < M; ++m) dp_dot_p += double(dp_LM(l, m)) * p_LM(l, m);
        for (std::size_t m = 0; m < M; ++m)
            ds_LM(l, m) = static_cast<float>(p_LM(l, m) * (dp_LM(l, m) - dp_dot_p));
    }
    // s_lm = Σ_k q_lk k_mk / √K  ⇒  dq = ds·k/√K [L, K] and dk = dsᵀ·q/√K [M, K].
    grads.dq_LK = xt::zeros<float>({L, K});
    matmul_into(ds_LM, k_MK, grads.dq_LK, Transpose::No, Transpose::No, scale);
    grads.dk_MK = xt::zeros<float>({M, K});
    matmul_into(ds_LM, q_LK, grads.dk_MK, Transpose::Yes, Transpose::No, scale);
    return grads;
}

}  // namespace tfm::exercises
