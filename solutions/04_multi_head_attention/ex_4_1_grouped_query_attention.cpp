// Solution to exercise 4.1 — grouped-query attention, forward and backward.
//
// Give every query head a copy of its group's keys and values, [B, G, M, K] → [B, H, M, K],
// and the chapter's attention does forward and backward. The copy is the only new step,
// and its backward is the answer: key/value head g was read by the H/G query heads of its
// group, so its gradient is the sum of theirs (the multivariate chain rule, as for x in
// self-attention).
#include "04_multi_head_attention/exercises/exercises.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"
#include "03_attention/attention.hpp"

namespace tfm::exercises {

GroupedAttentionGrads grouped_query_attention(const Tensor<4>& q_BHLK, const Tensor<4>& k_BGMK,
                                              const Tensor<4>& v_BGMK,
                                              const xt::xtensor<bool, 3>& mask_BXM,
                                              const Tensor<4>& dout_BHLK) {
    const std::size_t B = q_BHLK.shape()[0], H = q_BHLK.shape()[1], L = q_BHLK.shape()[2],
                      K = q_BHLK.shape()[3], G = k_BGMK.shape()[1], M = k_BGMK.shape()[2];
    if (G == 0 || H % G != 0) {
        throw std::invalid_argument("grouped_query_attention: " + std::to_string(G) +
                                    " key/value heads do not divide " + std::to_string(H) +
                                    " query heads");
    }
    const auto b_ = std::ptrdiff_t(B), g_ = std::ptrdiff_t(G), m_ = std::ptrdiff_t(M),
               k_ = std::ptrdiff_t(K);
    check_shape("k_BGMK", k_BGMK, {b_, g_, m_, k_});
    check_shape("v_BGMK", v_BGMK, {b_, g_, m_, k_});
    check_shape("dout_BHLK", dout_BHLK, {b_, std::ptrdiff_t(H), std::ptrdiff_t(L), k_});
    const std::size_t per_group = H / G, slice = M * K;

    // Each query head's copy of its group's keys and values.
    Tensor<4> k_BHMK = Tensor<4>::from_shape({B, H, M, K}), v_BHMK = k_BHMK;
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H; ++h) {
            const std::size_t from = (b * G + h / per_group) * slice, to = (b * H + h) * slice;
            std::copy_n(k_BGMK.data() + from, slice, k_BHMK.data() + to);
            std::copy_n(v_BGMK.data() + from, slice, v_BHMK.data() + to);
        }
    Rng unused(0);  // dropout 0 draws nothing
    ScaledDotProductAttention attention(0.0f, unused);
    GroupedAttentionGrads g;
    g.out_BHLK = attention.forward(q_BHLK, std::move(k_BHMK), std::move(v_BHMK), mask_BXM);
    AttentionGrads d = attention.backward(dout_BHLK);
    g.dq_BHLK = std::move(d.dq_BHLK);
    // The copy's backward: every group sums the gradients of the heads that read it.
    g.dk_BGMK = xt::zeros<float>({B, G, M, K});
    g.dv_BGMK = xt::zeros<float>({B, G, M, K});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H; ++h) {
            const std::size_t to = (b * G + h / per_group) * slice, from = (b * H + h) * slice;
            for (std::size_t i = 0; i < slice; ++i) {
                g.dk_BGMK.data()[to + i] += d.dk_BHMK.data()[from + i];
                g.dv_BGMK.data()[to + i] += d.dv_BHMK.data()[from + i];
            }
        }
    return g;
}

}  // namespace tfm::exercises
