// Solution to exercise 3.1 — additive attention, forward and backward.
//
// Forward, per (l, m): a = W_q q_l + W_k k_m [A], u = tanh(a), e_lm = w · u. Backward,
// given de (the softmax's backward of dp = dout·vᵀ, 0 where masked):
//   dw    = Σ_lm de_lm u_lm
//   da_lm = de_lm · w ⊙ (1 − u_lm²)                  (tanh' = 1 − tanh²)
//   dq_l  = W_qᵀ Σ_m da_lm,  dW_q = Σ_l (Σ_m da_lm) q_lᵀ   (q_l feeds its whole row)
//   dk_m  = W_kᵀ Σ_l da_lm,  dW_k = Σ_m (Σ_l da_lm) k_mᵀ   (k_m feeds its whole column)
// The hidden vector u has A entries for every (l, m): [L, M, A] in all, the price of
// additive scoring that a dot product does not pay.
#include "03_attention/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

AdditiveAttentionGrads additive_attention(const Tensor<2>& q_LK, const Tensor<2>& k_MK,
                                          const Tensor<2>& v_MK, const Tensor<2>& W_q_AK,
                                          const Tensor<2>& W_k_AK, const Tensor<1>& w_A,
                                          const xt::xtensor<bool, 2>& mask_LM,
                                          const Tensor<2>& dout_LK) {
    const std::size_t L = q_LK.shape()[0], K = q_LK.shape()[1], M = k_MK.shape()[0];
    const std::size_t A = w_A.size();
    const auto l_ = std::ptrdiff_t(L), m_ = std::ptrdiff_t(M), k_ = std::ptrdiff_t(K),
               a_ = std::ptrdiff_t(A);
    check_shape("k_MK", k_MK, {m_, k_});
    check_shape("v_MK", v_MK, {m_, k_});
    check_shape("W_q_AK", W_q_AK, {a_, k_});
    check_shape("W_k_AK", W_k_AK, {a_, k_});
    check_shape("mask_LM", mask_LM, {l_, m_});
    check_shape("dout_LK", dout_LK, {l_, k_});

    // The projections once each: W_q q_l [L, A] and W_k k_m [M, A].
    std::vector<double> qa(L * A, 0.0), ka(M * A, 0.0);
    for (std::size_t l = 0; l < L; ++l)
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t c = 0; c < K; ++c) qa[l * A + a] += double(W_q_AK(a, c)) * q_LK(l, c);
    for (std::size_t m = 0; m < M; ++m)
        for (std::size_t a = 0; a < A; ++a)
            for (std::size_t c = 0; c < K; ++c) ka[m * A + a] += double(W_k_AK(a, c)) * k_MK(m, c);
    // u = tanh(a) for every pair, the scores, and the weights row by row.
    std::vector<double> u(L * M * A), p(L * M);
    for (std::size_t l = 0; l < L; ++l) {
        double largest = -1e300;
        for (std::size_t m = 0; m < M; ++m) {
            double e = 0.0;
            for (std::size_t a = 0; a < A; ++a) {
                const double t = std::tanh(qa[l * A + a] + ka[m * A + a]);
                u[(l * M + m) * A + a] = t;
                e += double(w_A(a)) * t;
            }
            p[l * M + m] = mask_LM(l, m) ? e : -1e9;
            largest = std::max(largest, p[l * M + m]);
        }
        double sum = 0.0;
        for (std::size_t m = 0; m < M; ++m)
            sum += (p[l * M + m] = std::exp(p[l * M + m] - largest));
        for (std::size_t m = 0; m < M; ++m) p[l * M + m] /= sum;
    }

    AdditiveAttentionGrads g;
    g.out_LK = xt::zeros<float>({L, K});
    g.dq_LK = xt::zeros<float>({L, K});
    g.dk_MK = xt::zeros<float>({M, K});
    g.dv_MK = xt::zeros<float>({M, K});
    g.dW_q_AK = xt::zeros<float>({A, K});
    g.dW_k_AK = xt::zeros<float>({A, K});
    g.dw_A = xt::zeros<float>({A});
    std::vector<double> dw(A, 0.0), dqa(L * A, 0.0), dka(M * A, 0.0);
    for (std::size_t l = 0; l < L; ++l) {
        // out = p·v, dv = pᵀ·dout, dp = dout·vᵀ.
        std::vector<double> dp(M, 0.0);
        double weighted = 0.0;
        for (std::size_t m = 0; m < M; ++m) {
            for (std::size_t c = 0; c < K; ++c) {
                g.out_LK(l, c) += float(p[l * M + m] * v_MK(m, c));
                g.dv_MK(m, c) += float(p[l * M + m] * dout_LK(l, c));
                dp[m] += double(dout_LK(l, c)) * v_MK(m, c);
            }
            weighted += dp[m] * p[l * M + m];
        }
        for (std::size_t m = 0; m < M; ++m) {
            // Through the softmax; a masked score is a constant and passes nothing on.
            const double de = mask_LM(l, m) ? p[l * M + m] * (dp[m] - weighted) : 0.0;
            for (std::size_t a = 0; a < A; ++a) {
                const double t = u[(l * M + m) * A + a];
                dw[a] += de * t;
                const double da = de * double(w_A(a)) * (1.0 - t * t);
                dqa[l * A + a] += da;
                dka[m * A + a] += da;
            }
        }
    }
    for (std::size_t a = 0; a < A; ++a) g.dw_A(a) = float(dw[a]);
    for (std::size_t a = 0; a < A; ++a)
        for (std::size_t c = 0; c < K; ++c) {
            double dWq = 0.0, dWk = 0.0;
            for (std::size_t l = 0; l < L; ++l) {
                dWq += dqa[l * A + a] * q_LK(l, c);
                g.dq_LK(l, c) += float(dqa[l * A + a] * W_q_AK(a, c));
            }
            for (std::size_t m = 0; m < M; ++m) {
                dWk += dka[m * A + a] * k_MK(m, c);
                g.dk_MK(m, c) += float(dka[m * A + a] * W_k_AK(a, c));
            }
            g.dW_q_AK(a, c) = float(dWq);
            g.dW_k_AK(a, c) = float(dWk);
        }
    return g;
}

}  // namespace tfm::exercises
