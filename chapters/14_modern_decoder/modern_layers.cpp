// modern_layers.cpp — RoPE, RMSNorm, SwiGLU and grouped-query attention, forward and
// backward.
#include "modern_layers.hpp"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "00_tensors/lanes.hpp"
#include "00_tensors/parallel.hpp"
#include "00_tensors/shapes.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"
#include "12_language_model/gpt_layers.hpp"

namespace tfm {

// ---- RoPE -------------------------------------------------------------------------------

RotaryEmbedding::RotaryEmbedding(std::size_t head_dim, double base) : head_dim_(head_dim) {
    if (head_dim == 0 || head_dim % 2 != 0) {
        throw std::invalid_argument("RotaryEmbedding: the head size must be even, got " +
                                    std::to_string(head_dim));
    }
    if (!(base > 1.0)) throw std::invalid_argument("RotaryEmbedding: the base must exceed 1");
    for (std::size_t i = 0; i < head_dim / 2; ++i)
        frequencies_.push_back(std::pow(base, -2.0 * double(i) / double(head_dim)));
}

//! [rope rotate]
std::vector<float> RotaryEmbedding::turns(std::size_t first_position, std::size_t positions,
                                          bool inverse) const {
    const std::size_t pairs = head_dim_ / 2;
    // Each position's K numbers: (cos, sin) for each of the K/2 pairs.
    std::vector<float> turns_LK(positions * pairs * 2);
    for (std::size_t l = 0; l < positions; ++l) {
        for (std::size_t i = 0; i < pairs; ++i) {
            // The angles in double: at position 10⁵ a float32 angle would be off by ~10⁻²
            // radians, and relative positions would no longer be exact.
            const double angle = double(first_position + l) * frequencies_[i];
            turns_LK[(l * pairs + i) * 2] = float(std::cos(angle));
            turns_LK[(l * pairs + i) * 2 + 1] = float(inverse ? -std::sin(angle) : std::sin(angle));
        }
    }
    return turns_LK;
}

void RotaryEmbedding::rotate_vectors(float* x, std::size_t vectors, const float* turns_K) const {
    const std::size_t K = head_dim_;
    for (std::size_t v = 0; v < vectors; ++v) {
        for (std::size_t i = 0; i < K / 2; ++i) {
            float* pair = x + v * K + 2 * i;
            const float x0 = pair[0], x1 = pair[1], c = turns_K[2 * i], s = turns_K[2 * i + 1];
            pair[0] = x0 * c - x1 * s;  // (x₀, x₁) turned through pθ_i
            pair[1] = x0 * s + x1 * c;
        }
    }
}

void RotaryEmbedding::rotate(Tensor<4>& x_BHLK, std::size_t first_position, bool inverse) const {
    check_shape("RotaryEmbedding x_BHLK", x_BHLK, {kAny, kAny, kAny, std::ptrdiff_t(head_dim_)});
    const std::size_t BH = x_BHLK.shape()[0] * x_BHLK.shape()[1], L = x_BHLK.shape()[2];
    // The cosines and sines of the L positions once, for all B·H slices: computed per
    // slice, they cost more than the rotation itself.
    const std::vector<float> turns_LK = turns(first_position, L, inverse);
    // Every (batch entry, head) is an [L, K] slice whose row l sits at position first + l.
    parallel_for(BH, 4, [&](std::size_t first, std::size_t last) {
        for (std::size_t s = first; s < last; ++s)
            for (std::size_t l = 0; l < L; ++l)
                rotate_vectors(x_BHLK.data() + (s * L + l) * head_dim_, 1,
                               turns_LK.data() + l * head_dim_);
    });
}
//! [rope rotate]

void RotaryEmbedding::rotate_one(Tensor<3>& x_R1C, std::size_t position) const {
    const std::size_t width = x_R1C.shape()[2];
    check_shape("RotaryEmbedding x_R1C", x_R1C, {kAny, 1, kAny});
    if (width % head_dim_ != 0) {
        throw ShapeError("RotaryEmbedding: " + std::to_string(width) +
                         " channels are not heads of " + std::to_string(head_dim_));
    }
    // The heads of all rows one after another: each a vector of K channels at `position`.
    rotate_vectors(x_R1C.data(), x_R1C.size() / head_dim_, turns(position, 1, false).data());
}

// ---- RMSNorm ----------------------------------------------------------------------------

RMSNorm::RMSNorm(std::size_t features, const std::string& prefix, float eps)
    : weight(prefix + "weight", {features}), features_(features), eps_(eps) {
    weight.value.fill(1.0f);
}

//! [rms norm]
Tensor<3> RMSNorm::forward(const Tensor<3>& x_BLC) {
    check_shape("RMSNorm x_BLC", x_BLC, {kAny, kAny, std::ptrdiff_t(features_)});
    const std::size_t C = features_, rows = x_BLC.size() / C;
    xhat_BLC_.resize(x_BLC.shape());
    inv_rms_.resize(rows);
    Tensor<3> y_BLC = Tensor<3>::from_shape(x_BLC.shape());
    const float* w = weight.value.data();
    parallel_for(rows, 64, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) {
            const float* x = x_BLC.data() + r * C;
            float* xhat = xhat_BLC_.data() + r * C;
            float* y = y_BLC.data() + r * C;
            // No mean is subtracted: that is the whole difference. (Summed in vector lanes,
            // chapter 00's lanes.hpp.)
            const double mean_square =
                sum_in_lanes(C, [&](std::size_t c) { return double(x[c]) * x[c]; }) / double(C);
            const float inv_rms = float(1.0 / std::sqrt(mean_square + eps_));
            inv_rms_[r] = inv_rms;
            for (std::size_t c = 0; c < C; ++c) {
                xhat[c] = x[c] * inv_rms;
                y[c] = w[c] * xhat[c];
            }
        }
    });
    return y_BLC;
}

Tensor<3> RMSNorm::backward(const Tensor<3>& dy_BLC) {
    check_shape("RMSNorm backward dy_BLC", dy_BLC,
                {std::ptrdiff_t(xhat_BLC_.shape()[0]), std::ptrdiff_t(xhat_BLC_.shape()[1]),
                 std::ptrdiff_t(features_)});
    const std::size_t C = features_, rows = dy_BLC.size() / C;
    Tensor<3> dx_BLC = Tensor<3>::from_shape(dy_BLC.shape());
    const float* w = weight.value.data();
    parallel_for(rows, 64, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) {
            const float* dy = dy_BLC.data() + r * C;
            const float* xhat = xhat_BLC_.data() + r * C;
            float* dx = dx_BLC.data() + r * C;
            // g = w ⊙ dy; dx = (g − x̂ · mean(g ⊙ x̂)) / rms: LayerNorm's without mean(g).
            const double gx_mean =
                sum_in_lanes(C, [&](std::size_t c) { return double(w[c]) * dy[c] * xhat[c]; }) /
                double(C);
            for (std::size_t c = 0; c < C; ++c) {
                const double g = double(w[c]) * dy[c];
                dx[c] = float((g - xhat[c] * gx_mean) * inv_rms_[r]);
            }
        }
    });
    add_gain_gradient(dy_BLC, xhat_BLC_, weight, nullptr);  // ∂L/∂w = Σ_rows dy ⊙ x̂
    return dx_BLC;
}
//! [rms norm]

// ---- SwiGLU -----------------------------------------------------------------------------

namespace {
// Elements [first, last) of a tensor as a 1-D xtensor expression (for xsimd's exp).
template <class T>
auto span(T& t, std::size_t first, std::size_t last) {
    return xt::adapt(t.data() + first, last - first, xt::no_ownership(),
                     std::array<std::size_t, 1>{last - first});
}
}  // namespace

float silu(float a) {
    return a / (1.0f + std::exp(-a));  // a·σ(a)
}

float silu_derivative(float a) {
    const float sigma = 1.0f / (1.0f + std::exp(-a));
    return sigma * (1.0f + a * (1.0f - sigma));  // σ + a·σ(1 − σ), the product rule
}

SwiGLU::SwiGLU(std::size_t d_model, std::size_t hidden, Rng& rng, const std::string& prefix)
    : gate_proj(d_model, hidden, rng, prefix + "gate_proj.", false),
      up_proj(d_model, hidden, rng, prefix + "up_proj.", false),
      down_proj(hidden, d_model, rng, prefix + "down_proj.", false) {}

ParameterList SwiGLU::parameters() {
    ParameterList p = gate_proj.parameters();
    append(p, up_proj.parameters());
    append(p, down_proj.parameters());
    return p;
}

//! [swiglu]
Tensor<3> SwiGLU::forward(const Tensor<3>& x_BLC) {
    a_BLF_ = gate_proj.forward(x_BLC);
    b_BLF_ = up_proj.forward(x_BLC);
    // h = silu(a) ⊙ b = a·σ(a) ⊙ b, element by element, and σ(a) kept: the backward needs it
    // twice, and an exponential per element and use cost as much as the products around it.
    // xsimd's exp takes several elements per instruction, on every core.
    sigma_BLF_.resize(a_BLF_.shape());
    Tensor<3> h_BLF = Tensor<3>::from_shape(a_BLF_.shape());
    parallel_for(h_BLF.size(), 1 << 13, [&](std::size_t first, std::size_t last) {
        const auto a = span(a_BLF_, first, last);
        const auto b = span(b_BLF_, first, last);
        auto sigma = span(sigma_BLF_, first, last);
        xt::noalias(sigma) = 1.0f / (1.0f + xt::exp(-a));
        xt::noalias(span(h_BLF, first, last)) = a * sigma * b;
    });
    return down_proj.forward(h_BLF);
}

Tensor<3> SwiGLU::backward(const Tensor<3>& dy_BLC) {
    const Tensor<3> dh_BLF = down_proj.backward(dy_BLC);
    // A product hands each factor the gradient times the other factor:
    // da = dh ⊙ b ⊙ silu'(a) with silu'(a) = σ(a)·(1 + a·(1 − σ(a))), db = dh ⊙ a·σ(a).
    Tensor<3> da_BLF = Tensor<3>::from_shape(dh_BLF.shape()), db_BLF = da_BLF;
    parallel_for(dh_BLF.size(), 1 << 13, [&](std::size_t first, std::size_t last) {
        const auto a = span(a_BLF_, first, last);
        const auto b = span(b_BLF_, first, last);
        const auto sigma = span(sigma_BLF_, first, last);
        const auto dh = span(dh_BLF, first, last);
        xt::noalias(span(da_BLF, first, last)) = dh * b * sigma * (1.0f + a * (1.0f - sigma));
        xt::noalias(span(db_BLF, first, last)) = dh * a * sigma;
    });
    // x feeds both branches: its gradient is the sum of the two.
    Tensor<3> dx_BLC = gate_proj.backward(da_BLF);
    add_into(dx_BLC, up_proj.backward(db_BLF));
    return dx_BLC;
}
//! [swiglu]

// ---- grouped-query attention ------------------------------------------------------------

GroupedQueryAttention::GroupedQueryAttention(std::size_t d_model, std::size_t heads,
                                             std::size_t kv_heads, const RotaryEmbedding* rope,
                                             Rng& rng, const std::string& prefix)
    : q_proj(d_model, d_model, rng, prefix + "q_proj.", false),
      k_proj(d_model, heads == 0 ? 0 : d_model / heads * kv_heads, rng, prefix + "k_proj.", false),
      v_proj(d_model, heads == 0 ? 0 : d_model / heads * kv_heads, rng, prefix + "v_proj.", false),
      o_proj(d_model, d_model, rng, prefix + "o_proj.", false),
      heads_(heads),
      kv_heads_(kv_heads),
      head_dim_(heads == 0 ? 0 : d_model / heads),
      rope_(rope),
      attention_(0.0f, rng) {
    if (heads == 0 || d_model % heads != 0 || kv_heads == 0 || heads % kv_heads != 0) {
        throw std::invalid_argument("GroupedQueryAttention: " + std::to_string(heads) +
                                    " query heads must divide C = " + std::to_string(d_model) +
                                    ", and " + std::to_string(kv_heads) +
                                    " key/value heads must divide the query heads");
    }
    if (rope != nullptr && rope->head_dim() != head_dim_) {
        throw std::invalid_argument("GroupedQueryAttention: RoPE for heads of " +
                                    std::to_string(rope->head_dim()) + ", the heads have " +
                                    std::to_string(head_dim_));
    }
}

ParameterList GroupedQueryAttention::parameters() {
    ParameterList p = q_proj.parameters();
    append(p, k_proj.parameters());
    append(p, v_proj.parameters());
    append(p, o_proj.parameters());
    return p;
}

//! [gqa forward]
Tensor<3> GroupedQueryAttention::forward(const Tensor<3>& x_BLC) {
    check_shape("GroupedQueryAttention x_BLC", x_BLC,
                {kAny, kAny, std::ptrdiff_t(q_proj.in_features())});
    const std::size_t B = x_BLC.shape()[0], L = x_BLC.shape()[1], H = heads_, G = kv_heads_,
                      K = head_dim_, group = H / G;
    // 1. Project and split: H query heads, G key and value heads.
    Tensor<4> q_BHLK = split_heads(q_proj.forward(x_BLC), H);
    Tensor<4> k_BGLK = split_heads(k_proj.forward(x_BLC), G);
    Tensor<4> v_BGLK = split_heads(v_proj.forward(x_BLC), G);
    // 2. Rotate queries and keys to their positions (values are not rotated).
    if (rope_ != nullptr) {
        rope_->rotate(q_BHLK, 0);
        rope_->rotate(k_BGLK, 0);
    }
    // 3. The `group` query heads that share key/value head g are consecutive, so
    //    [B, H, L, K] *is* [B, G, group·L, K]: each group's queries stacked as one longer
    //    sequence against its one head of keys. No copy, and chapter 03's attention does
    //    the rest, with a causal mask repeated for each stacked head.
    if (mask_length_ != L) {
        mask_length_ = L;
        mask_ = xt::xtensor<bool, 3>::from_shape({1, group * L, L});
        for (std::size_t row = 0; row < group * L; ++row)
            for (std::size_t m = 0; m < L; ++m) mask_(0, row, m) = m <= row % L;
    }
    q_BHLK.reshape(std::array<std::size_t, 4>{B, G, group * L, K});
    Tensor<4> out = attention_.forward(std::move(q_BHLK), std::move(k_BGLK), std::move(v_BGLK),
                                       mask_);  // [B, G, group·L, K]
    // 4. Back to H heads side by side, and W_O.
    out.reshape(std::array<std::size_t, 4>{B, H, L, K});
    return o_proj.forward(merge_heads(out));
}

Tensor<3> GroupedQueryAttention::backward(const Tensor<3>& dy_BLC) {
    Tensor<4> dout = split_heads(o_proj.backward(dy_BLC), heads_);
    const std::size_t B = dout.shape()[0], L = dout.shape()[2], group = heads_ / kv_heads_;
    dout.reshape(std::array<std::size_t, 4>{B, kv_heads_, group * L, head_dim_});
    // Chapter 03's backward on the grouped layout. Its dk = dsᵀ·q runs over all group·L
    // stacked query rows: the gradient of a shared key is summed over the heads that read
    // it, inside one product.
    AttentionGrads d = attention_.backward(dout);
    d.dq_BHLK.reshape(std::array<std::size_t, 4>{B, heads_, L, head_dim_});
    // The rotation's backward is the opposite rotation.
    if (rope_ != nullptr) {
        rope_->rotate(d.dq_BHLK, 0, /*inverse=*/true);
        rope_->rotate(d.dk_BHMK, 0, /*inverse=*/true);
    }
    // x was query, key and value at once: the three paths' gradients add.
    Tensor<3> dx_BLC = q_proj.backward(merge_heads(d.dq_BHLK));
    dx_BLC += k_proj.backward(merge_heads(d.dk_BHMK));
    dx_BLC += v_proj.backward(merge_heads(d.dv_BHMK));
    return dx_BLC;
}
//! [gqa forward]

}  // namespace tfm
