// Solution to exercise 3.2 — attention with a learned score matrix, forward and backward.
//
// q·W·kᵀ = (q·W)·kᵀ: the score is a dot product of the key with a projected query
// q' = q·W [L, K]. So run the chapter's attention on (q', k, v); its backward gives dq',
// dk and dv, and the projection's backward does the rest, as for a Linear layer:
//     dq = dq'·Wᵀ,   dW = qᵀ·dq'.
// (Chapter 04 projects the keys as well: W_Q·W_Kᵀ then plays the part of W.)
#include "03_attention/exercises/exercises.hpp"

#include <algorithm>

#include "00_tensors/matmul.hpp"
#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"
#include "03_attention/attention.hpp"

namespace tfm::exercises {

namespace {
// One matrix as a batch of one head, [1, 1, rows, cols], and back.
Tensor<4> as_head(const Tensor<2>& x) {
    Tensor<4> out = Tensor<4>::from_shape({1, 1, x.shape()[0], x.shape()[1]});
    std::copy(x.begin(), x.end(), out.begin());
    return out;
}
Tensor<2> from_head(const Tensor<4>& x) {
    Tensor<2> out = Tensor<2>::from_shape({x.shape()[2], x.shape()[3]});
    std::copy(x.begin(), x.end(), out.begin());
    return out;
}
}  // namespace

BilinearAttentionGrads bilinear_attention(const Tensor<2>& q_LK, const Tensor<2>& k_MK,
                                          const Tensor<2>& v_MK, const Tensor<2>& W_KK,
                                          const xt::xtensor<bool, 2>& mask_LM,
                                          const Tensor<2>& dout_LK) {
    const std::size_t L = q_LK.shape()[0], K = q_LK.shape()[1], M = k_MK.shape()[0];
    const auto l_ = std::ptrdiff_t(L), m_ = std::ptrdiff_t(M), k_ = std::ptrdiff_t(K);
    check_shape("k_MK", k_MK, {m_, k_});
    check_shape("v_MK", v_MK, {m_, k_});
    check_shape("W_KK", W_KK, {k_, k_});
    check_shape("mask_LM", mask_LM, {l_, m_});
    check_shape("dout_LK", dout_LK, {l_, k_});

    // The projected queries, then one head of the chapter's attention.
    const Tensor<2> qW_LK = matmul(q_LK, W_KK);
    Rng unused(0);  // dropout 0 draws nothing
    ScaledDotProductAttention attention(0.0f, unused);
    xt::xtensor<bool, 3> mask_1LM = xt::xtensor<bool, 3>::from_shape({1, L, M});
    std::copy(mask_LM.begin(), mask_LM.end(), mask_1LM.begin());
    const Tensor<4> out = attention.forward(as_head(qW_LK), as_head(k_MK), as_head(v_MK), mask_1LM);
    const AttentionGrads a = attention.backward(as_head(dout_LK));

    BilinearAttentionGrads g;
    g.out_LK = from_head(out);
    g.dk_MK = from_head(a.dk_BHMK);
    g.dv_MK = from_head(a.dv_BHMK);
    const Tensor<2> dqW_LK = from_head(a.dq_BHLK);
    g.dq_LK = matmul(dqW_LK, W_KK, Transpose::No, Transpose::Yes);  // dq = dq'·Wᵀ
    g.dW_KK = matmul(q_LK, dqW_LK, Transpose::Yes, Transpose::No);  // dW = qᵀ·dq'
    return g;
}

}  // namespace tfm::exercises
