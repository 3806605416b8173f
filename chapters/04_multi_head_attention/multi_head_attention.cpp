// multi_head_attention.cpp — projections, head split and merge, and their backward.
#include "multi_head_attention.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "00_tensors/parallel.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm {

namespace {
// Slices of `slice` floats per range: at least ~16k floats, so handing a range to another
// core pays for itself.
std::size_t copy_grain(std::size_t slice) {
    return std::max<std::size_t>(1, (std::size_t(1) << 14) / std::max<std::size_t>(slice, 1));
}
}  // namespace

//! [split and merge]
Tensor<4> split_heads(const Tensor<3>& x_BLC, std::size_t heads) {
    const std::size_t B = x_BLC.shape()[0], L = x_BLC.shape()[1], C = x_BLC.shape()[2];
    if (heads == 0 || C % heads != 0) {
        throw ShapeError("split_heads: " + std::to_string(C) + " channels do not split into " +
                         std::to_string(heads) + " heads");
    }
    const std::size_t K = C / heads;
    Tensor<4> x_BHLK = Tensor<4>::from_shape({B, heads, L, K});
    // One (b, h) slice per iteration; the slices are shared among the cores (parallel.hpp).
    parallel_for(B * heads, copy_grain(L * K), [&](std::size_t first, std::size_t last) {
        for (std::size_t bh = first; bh < last; ++bh) {
            const std::size_t b = bh / heads, h = bh % heads;
            for (std::size_t l = 0; l < L; ++l) {
                const float* src = &x_BLC(b, l, h * K);  // head h owns channels h·K .. h·K+K−1
                std::copy(src, src + K, &x_BHLK(b, h, l, 0));
            }
        }
    });
    return x_BHLK;
}

Tensor<3> merge_heads(const Tensor<4>& x_BHLK) {
    const std::size_t B = x_BHLK.shape()[0], H = x_BHLK.shape()[1], L = x_BHLK.shape()[2],
                      K = x_BHLK.shape()[3];
    Tensor<3> x_BLC = Tensor<3>::from_shape({B, L, H * K});
    parallel_for(B * H, copy_grain(L * K), [&](std::size_t first, std::size_t last) {
        for (std::size_t bh = first; bh < last; ++bh) {
            const std::size_t b = bh / H, h = bh % H;
            for (std::size_t l = 0; l < L; ++l) {
                const float* src = &x_BHLK(b, h, l, 0);
                std::copy(src, src + K, &x_BLC(b, l, h * K));
            }
        }
    });
    return x_BLC;
}
//! [split and merge]

MultiHeadedAttention::MultiHeadedAttention(std::size_t heads, std::size_t d_model, float dropout,
                                           Rng& rng, const std::string& prefix, bool with_bias)
    : heads_(heads), d_model_(d_model), attention_(dropout, rng) {
    if (heads == 0 || d_model % heads != 0) {
        throw std::invalid_argument("MultiHeadedAttention: d_model " + std::to_string(d_model) +
                                    " is not divisible by the number of heads " +
                                    std::to_string(heads));
    }
    linears.reserve(4);
    for (int i = 0; i < 4; ++i) {
        linears.emplace_back(d_model, d_model, rng, prefix + "linears." + std::to_string(i) + ".",
                             with_bias);
    }
}

ParameterList MultiHeadedAttention::parameters() {
    ParameterList params;
    for (Linear& linear : linears) append(params, linear.parameters());
    return params;
}

Tensor<3> MultiHeadedAttention::forward(const Tensor<3>& query_BLC, const Tensor<3>& key_BMC,
                                        const Tensor<3>& value_BMC) {
    return run(query_BLC, key_BMC, value_BMC, nullptr);
}

Tensor<3> MultiHeadedAttention::forward(const Tensor<3>& query_BLC, const Tensor<3>& key_BMC,
                                        const Tensor<3>& value_BMC,
                                        const xt::xtensor<bool, 3>& mask_BXM) {
    return run(query_BLC, key_BMC, value_BMC, &mask_BXM);
}

Tensor<3> MultiHeadedAttention::forward_self(const Tensor<3>& x_BLC) {
    return run_self(x_BLC, nullptr);
}

Tensor<3> MultiHeadedAttention::forward_self(const Tensor<3>& x_BLC,
                                             const xt::xtensor<bool, 3>& mask_BXL) {
    return run_self(x_BLC, &mask_BXL);
}

//! [multi-head forward]
Tensor<3> MultiHeadedAttention::run(const Tensor<3>& query_BLC, const Tensor<3>& key_BMC,
                                    const Tensor<3>& value_BMC,
                                    const xt::xtensor<bool, 3>* mask_BXM) {
    const auto B = std::ptrdiff_t(query_BLC.shape()[0]), C = std::ptrdiff_t(d_model_);
    check_shape("MultiHeadedAttention query_BLC", query_BLC, {kAny, kAny, C});
    check_shape("MultiHeadedAttention key_BMC", key_BMC, {B, kAny, C});
    check_shape("MultiHeadedAttention value_BMC", value_BMC,
                {B, std::ptrdiff_t(key_BMC.shape()[1]), C});
    // 1. Project: Q = query·W_Qᵀ + b_Q, and likewise K and V — each one sgemm over [B·L, C].
    Tensor<3> out_BLC = attend(linears[0].forward(query_BLC), linears[1].forward(key_BMC),
                               linears[2].forward(value_BMC), mask_BXM);
    last_forward_self_ = false;  // once forward has succeeded
    return out_BLC;
}

Tensor<3> MultiHeadedAttention::attend(const Tensor<3>& q_BLC, const Tensor<3>& k_BMC,
                                       const Tensor<3>& v_BMC,
                                       const xt::xtensor<bool, 3>* mask_BXM) {
    // 2. Split the C channels into H heads of K: [B, L, C] → [B, H, L, K].
    Tensor<4> q_BHLK = split_heads(q_BLC, heads_);
    Tensor<4> k_BHMK = split_heads(k_BMC, heads_);
    Tensor<4> v_BHMK = split_heads(v_BMC, heads_);
    // 3. Every head attends on its own (chapter 03), batched over B·H. The heads are moved
    //    into attention, which keeps them for backward: no second copy.
    const Tensor<4> context_BHLK =
        mask_BXM != nullptr
            ? attention_.forward(std::move(q_BHLK), std::move(k_BHMK), std::move(v_BHMK), *mask_BXM)
            : attention_.forward(std::move(q_BHLK), std::move(k_BHMK), std::move(v_BHMK));
    // 4. Concatenate the heads, [B, H, L, K] → [B, L, C], and mix them with W_O.
    return linears[3].forward(merge_heads(context_BHLK));
}
//! [multi-head forward]

//! [multi-head backward]
MultiHeadGrads MultiHeadedAttention::backward(const Tensor<3>& dout_BLC) {
    if (last_forward_self_)
        throw std::logic_error(
            "MultiHeadedAttention: the last forward was forward_self; "
            "its backward is backward_self");
    const AttentionGrads d = attend_backward(dout_BLC);
    MultiHeadGrads grads;
    grads.dquery_BLC = linears[0].backward(merge_heads(d.dq_BHLK));
    grads.dkey_BMC = linears[1].backward(merge_heads(d.dk_BHMK));
    grads.dvalue_BMC = linears[2].backward(merge_heads(d.dv_BHMK));
    return grads;
}

AttentionGrads MultiHeadedAttention::attend_backward(const Tensor<3>& dout_BLC) {
    // The steps of forward, in reverse. Splitting and merging only move numbers, so the
    // backward of a split is a merge and the backward of a merge is a split.
    return attention_.backward(split_heads(linears[3].backward(dout_BLC), heads_));
}
//! [multi-head backward]

//! [self-attention]
Tensor<3> MultiHeadedAttention::run_self(const Tensor<3>& x_BLC,
                                         const xt::xtensor<bool, 3>* mask_BXL) {
    check_shape("MultiHeadedAttention x_BLC", x_BLC, {kAny, kAny, std::ptrdiff_t(d_model_)});
    const std::size_t rows = x_BLC.size() / d_model_;
    Tensor<3> q_BLC = Tensor<3>::from_shape(x_BLC.shape());
    Tensor<3> k_BLC = Tensor<3>::from_shape(x_BLC.shape());
    Tensor<3> v_BLC = Tensor<3>::from_shape(x_BLC.shape());
    // W_Q keeps its copy of x as every Linear does; W_K and W_V read the same x, so they
    // keep none and use W_Q's in backward.
    linears[0].forward_rows(x_BLC.data(), rows, q_BLC.data());
    linears[1].project_rows(x_BLC.data(), rows, k_BLC.data());
    linears[2].project_rows(x_BLC.data(), rows, v_BLC.data());
    Tensor<3> out_BLC = attend(q_BLC, k_BLC, v_BLC, mask_BXL);
    last_forward_self_ = true;  // once forward has succeeded
    return out_BLC;
}

Tensor<3> MultiHeadedAttention::backward_self(const Tensor<3>& dout_BLC) {
    if (!last_forward_self_)
        throw std::logic_error(
            "MultiHeadedAttention: backward_self after a forward that was "
            "not forward_self");
    const AttentionGrads d = attend_backward(dout_BLC);
    const Tensor<3> dq_BLC = merge_heads(d.dq_BHLK), dk_BLC = merge_heads(d.dk_BHMK),
                    dv_BLC = merge_heads(d.dv_BHMK);
    // dx = dq·W_Q + dk·W_K + dv·W_V: the first product writes dx, the other two add to it
    // (sgemm's beta = 1), so the sum costs no pass of its own.
    Tensor<3> dx_BLC = Tensor<3>::from_shape(dq_BLC.shape());
    const std::size_t rows = dx_BLC.size() / d_model_;
    linears[0].backward_rows(dq_BLC.data(), rows, dx_BLC.data());
    const float* x_RC = linears[0].kept_input();
    linears[1].backward_rows_given_input(x_RC, dk_BLC.data(), rows, dx_BLC.data(), true);
    linears[2].backward_rows_given_input(x_RC, dv_BLC.data(), rows, dx_BLC.data(), true);
    return dx_BLC;
}
//! [self-attention]

}  // namespace tfm
