// attention.cpp — scaled dot-product attention on batched sgemm.
#include "attention.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "00_tensors/matmul.hpp"
#include "00_tensors/parallel.hpp"
#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"

namespace tfm {

namespace {

// The mask must be [1 or B, 1 or L, M].
void check_mask(const xt::xtensor<bool, 3>& mask, std::size_t B, std::size_t L, std::size_t M) {
    const auto& s = mask.shape();
    if ((s[0] != 1 && s[0] != B) || (s[1] != 1 && s[1] != L) || s[2] != M) {
        throw ShapeError("attention mask_BXM: expected shape [1 or " + std::to_string(B) +
                         ", 1 or " + std::to_string(L) + ", " + std::to_string(M) + "], got " +
                         shape_to_string(s));
    }
}

//! [masked softmax]
// The keys query l of batch entry b may attend to: its row of the mask (true = allowed),
// the mask's size-1 dimensions broadcast.
const bool* allowed_keys(const xt::xtensor<bool, 3>& mask, std::size_t b, std::size_t l) {
    const std::size_t b_in_mask = mask.shape()[0] == 1 ? 0 : b;
    const std::size_t l_in_mask = mask.shape()[1] == 1 ? 0 : l;
    return mask.data() + (b_in_mask * mask.shape()[1] + l_in_mask) * mask.shape()[2];
}

// Softmax over each of the B·H·L rows of scores, in place, after setting the scores of
// masked keys to −1e9. Both in one pass over a row while it is in the core's cache, the
// rows shared among the cores (parallel.hpp); without a mask, the plain softmax.
void masked_softmax(const xt::xtensor<bool, 3>* mask, float* s_BHLM, std::size_t B, std::size_t H,
                    std::size_t L, std::size_t M) {
    parallel_for(B * H * L, 4096 / (M + 1) + 1, [&](std::size_t first, std::size_t last) {
        for (std::size_t row = first; row < last; ++row) {
            float* s_M = s_BHLM + row * M;
            if (mask != nullptr) {
                const bool* allowed_M = allowed_keys(*mask, row / (H * L), row % L);
                // Without a branch, so the compiler can do several keys per instruction.
                for (std::size_t m = 0; m < M; ++m) s_M[m] = allowed_M[m] ? s_M[m] : kMaskedScore;
            }
            softmax_row(s_M, s_M, M);
        }
    });
}
//! [masked softmax]

// The softmax's backward over each row, in place (ds enters as dp), and a masked score's
// gradient set to 0: it is the constant −1e9, not a function of q or k.
void masked_softmax_backward(const xt::xtensor<bool, 3>* mask, const float* p_BHLM, float* ds_BHLM,
                             std::size_t B, std::size_t H, std::size_t L, std::size_t M) {
    parallel_for(B * H * L, 4096 / (M + 1) + 1, [&](std::size_t first, std::size_t last) {
        for (std::size_t row = first; row < last; ++row) {
            float* ds_M = ds_BHLM + row * M;
            softmax_backward_row(p_BHLM + row * M, ds_M, ds_M, M);
            if (mask != nullptr) {
                const bool* allowed_M = allowed_keys(*mask, row / (H * L), row % L);
                for (std::size_t m = 0; m < M; ++m) ds_M[m] = allowed_M[m] ? ds_M[m] : 0.0f;
            }
        }
    });
}

}  // namespace

ScaledDotProductAttention::ScaledDotProductAttention(float dropout, Rng& rng)
    : dropout_(dropout, rng) {}

Tensor<4> ScaledDotProductAttention::forward(Tensor<4> q_BHLK, Tensor<4> k_BHMK, Tensor<4> v_BHMK) {
    return run(std::move(q_BHLK), std::move(k_BHMK), std::move(v_BHMK), nullptr);
}

Tensor<4> ScaledDotProductAttention::forward(Tensor<4> q_BHLK, Tensor<4> k_BHMK, Tensor<4> v_BHMK,
                                             const xt::xtensor<bool, 3>& mask_BXM) {
    return run(std::move(q_BHLK), std::move(k_BHMK), std::move(v_BHMK), &mask_BXM);
}

//! [attention forward]
Tensor<4> ScaledDotProductAttention::run(Tensor<4>&& q_BHLK, Tensor<4>&& k_BHMK, Tensor<4>&& v_BHMK,
                                         const xt::xtensor<bool, 3>* mask_BXM) {
    const std::size_t B = q_BHLK.shape()[0], H = q_BHLK.shape()[1], L = q_BHLK.shape()[2],
                      K = q_BHLK.shape()[3], M = k_BHMK.shape()[2];
    const auto b = std::ptrdiff_t(B), h = std::ptrdiff_t(H), m = std::ptrdiff_t(M),
               k = std::ptrdiff_t(K);
    check_shape("attention k_BHMK", k_BHMK, {b, h, kAny, k});
    check_shape("attention v_BHMK", v_BHMK, {b, h, m, k});
    if (mask_BXM != nullptr) check_mask(*mask_BXM, B, L, M);

    // scores = q·kᵀ/√K: one sgemm per (b, h) slice, kᵀ as a flag, 1/√K as sgemm's alpha.
    p_BHLM_.resize({B, H, L, M});
    matmul_into(q_BHLK, k_BHMK, p_BHLM_, Transpose::No, Transpose::Yes,
                1.0f / std::sqrt(static_cast<float>(K)));
    // Each query's row of scores becomes weights that sum to 1 (in place). Masked scores
    // become −1e9 first: after the softmax their weight is exp(−1e9 − max) = 0.
    if (mask_BXM != nullptr) {
        mask_BXM_ = *mask_BXM;
    } else {
        mask_BXM_.resize({0, 0, 0});
    }
    masked_softmax(mask_BXM, p_BHLM_.data(), B, H, L, M);
    // Dropout on the weights (training only) into a second tensor, since backward needs
    // both: one pass writes p̃ = p ⊙ m. out = p̃·v, one sgemm per slice. Without dropout p̃
    // is p itself, and nothing is written.
    if (dropout_.training() && dropout_.p() > 0.0f) {
        p_dropped_BHLM_.resize(p_BHLM_.shape());
        dropout_.forward_into(p_BHLM_.data(), p_dropped_BHLM_.data(), p_BHLM_.size());
    } else {
        dropout_.forward_inplace(nullptr, 0);  // records that nothing was dropped
    }
    const Tensor<4>& p_used_BHLM = dropout_.active() ? p_dropped_BHLM_ : p_BHLM_;
    Tensor<4> out_BHLK = Tensor<4>::from_shape({B, H, L, K});
    matmul_into(p_used_BHLM, v_BHMK, out_BHLK);

    // Keep the inputs for backward: moved in, not copied.
    q_BHLK_ = std::move(q_BHLK);
    k_BHMK_ = std::move(k_BHMK);
    v_BHMK_ = std::move(v_BHMK);
    return out_BHLK;
}
//! [attention forward]

//! [attention backward]
AttentionGrads ScaledDotProductAttention::backward(const Tensor<4>& dout_BHLK) {
    check_shape("attention backward dout_BHLK", dout_BHLK,
                {std::ptrdiff_t(q_BHLK_.shape()[0]), std::ptrdiff_t(q_BHLK_.shape()[1]),
                 std::ptrdiff_t(q_BHLK_.shape()[2]), std::ptrdiff_t(q_BHLK_.shape()[3])});
    const std::size_t B = q_BHLK_.shape()[0], H = q_BHLK_.shape()[1], L = q_BHLK_.shape()[2],
                      K = q_BHLK_.shape()[3], M = k_BHMK_.shape()[2];
    const float scale = 1.0f / std::sqrt(static_cast<float>(K));
    AttentionGrads grads;

    // out = p̃·v  ⇒  dv = p̃ᵀ·dout and dp̃ = dout·vᵀ.
    const Tensor<4>& p_used_BHLM = dropout_.active() ? p_dropped_BHLM_ : p_BHLM_;
    grads.dv_BHMK = Tensor<4>::from_shape({B, H, M, K});
    matmul_into(p_used_BHLM, dout_BHLK, grads.dv_BHMK, Transpose::Yes, Transpose::No);
    Tensor<4> ds_BHLM = Tensor<4>::from_shape({B, H, L, M});
    matmul_into(dout_BHLK, v_BHMK_, ds_BHLM, Transpose::No, Transpose::Yes);
    // Through dropout (same mask), then through the softmax, in place: dp̃ → dp → ds.
    dropout_.backward_inplace(ds_BHLM.data(), ds_BHLM.size());
    // A masked score is the constant −1e9, not a function of q or k: its gradient is 0.
    masked_softmax_backward(mask_BXM_.size() != 0 ? &mask_BXM_ : nullptr, p_BHLM_.data(),
                            ds_BHLM.data(), B, H, L, M);
    // scores = q·kᵀ/√K  ⇒  dq = ds·k/√K and dk = dsᵀ·q/√K.
    grads.dq_BHLK = Tensor<4>::from_shape({B, H, L, K});
    matmul_into(ds_BHLM, k_BHMK_, grads.dq_BHLK, Transpose::No, Transpose::No, scale);
    grads.dk_BHMK = Tensor<4>::from_shape({B, H, M, K});
    matmul_into(ds_BHLM, q_BHLK_, grads.dk_BHMK, Transpose::Yes, Transpose::No, scale);
    return grads;
}
//! [attention backward]

}  // namespace tfm
