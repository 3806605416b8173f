// modern_layers.hpp — the four pieces that turn chapter 12's GPT into the decoder of
// today's open models (chapter 14): rotary position embeddings, RMSNorm, SwiGLU and
// grouped-query attention. Each has its forward and its backward written out.
//
// * RoPE (Su et al., RoFormer, 2021). Positions are not added to the input any more; each
//   query and key is *rotated* by its position instead. The K channels of a head form K/2
//   pairs (2i, 2i + 1); at position p pair i turns through the angle p·θ_i, with
//   θ_i = base^(−2i/K) (base 10,000):
//       (x₀, x₁) → (x₀ cos pθ − x₁ sin pθ,  x₀ sin pθ + x₁ cos pθ)
//   A rotation keeps lengths and composes by adding angles, so q rotated to m dotted with
//   k rotated to n depends on m − n alone: attention sees relative positions. A rotation
//   is orthogonal, so its backward is the rotation by the opposite angle.
// * RMSNorm (Zhang & Sennrich, 2019): LayerNorm without the mean and the bias,
//       y = w ⊙ x / rms(x),  rms(x) = √(mean(x²) + ε).
//   Backward, with x̂ = x/rms and g = w ⊙ dy: dx = (g − x̂ · mean(g ⊙ x̂)) / rms — chapter
//   12's LayerNorm backward without its mean(g) term.
// * SwiGLU (Shazeer, 2020): a gated feed-forward network with SiLU (Swish),
//       y = W_down (silu(W_gate x) ⊙ W_up x),   silu(a) = a·σ(a),
//   three matrices instead of two, so the hidden width is 2/3 of 4C to keep the count.
// * Grouped-query attention (Ainslie et al., 2023): H query heads, G key/value heads,
//   each shared by a group of H/G consecutive query heads. G = H is multi-head attention,
//   G = 1 multi-query attention (Shazeer, 2019). The keys and values a decoder caches
//   shrink by H/G; a shared key's gradient is the sum over the heads that read it.
//
// All four take [B, L, C] activations as chapter 04 does, and no biases (as LLaMA).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/linear.hpp"
#include "00_tensors/parameter.hpp"
#include "00_tensors/random.hpp"
#include "03_attention/attention.hpp"

namespace tfm {

// ---- RoPE -------------------------------------------------------------------------------

/// Rotary position embeddings for heads of `head_dim` channels (even).
class RotaryEmbedding {
public:
    explicit RotaryEmbedding(std::size_t head_dim, double base = 10000.0);

    std::size_t head_dim() const { return head_dim_; }
    /// θ_i = base^(−2i/K), the angle pair i turns through per position.
    double frequency(std::size_t pair) const { return frequencies_[pair]; }

    /// Rotates x_BHLK in place: row l of every head to position first_position + l.
    /// `inverse` rotates by the opposite angle: the backward of the rotation, and its
    /// inverse.
    void rotate(Tensor<4>& x_BHLK, std::size_t first_position, bool inverse = false) const;

    /// Rotates the heads of one position in the [R, 1, H·K] layout a projection produces
    /// (every row at `position`): what a cached decoding step needs.
    void rotate_one(Tensor<3>& x_R1C, std::size_t position) const;

private:
    // cos(pθ_i), ±sin(pθ_i) for positions p = first_position … first_position + positions − 1
    // and pairs i < K/2, interleaved: each position's K numbers are (cos, sin) for pair 0,
    // then pair 1, … ([positions, K]; the sines negated for `inverse`).
    std::vector<float> turns(std::size_t first_position, std::size_t positions, bool inverse) const;
    // Rotates `vectors` vectors of K channels at `x`, all by the turns of one position
    // (its K numbers from turns()).
    void rotate_vectors(float* x, std::size_t vectors, const float* turns_K) const;

    std::size_t head_dim_;
    std::vector<double> frequencies_;  ///< θ_i, i < K/2
};

// ---- RMSNorm ----------------------------------------------------------------------------

/// Root-mean-square normalisation over the last axis, with a gain `weight` (ones) and no
/// bias; ε = 1e-5 inside the root, as chapter 12's LayerNorm has it.
class RMSNorm {
public:
    RMSNorm(std::size_t features, const std::string& prefix, float eps = 1e-5f);
    Tensor<3> forward(const Tensor<3>& x_BLC);
    Tensor<3> backward(const Tensor<3>& dy_BLC);
    ParameterList parameters() { return {&weight}; }

    Parameter weight;  ///< [C]

private:
    std::size_t features_;
    float eps_;
    Tensor<3> xhat_BLC_;          ///< x / rms, for backward
    std::vector<float> inv_rms_;  ///< 1 / rms per row
};

// ---- SwiGLU -----------------------------------------------------------------------------

/// silu(a) = a·σ(a) on each element (Swish with β = 1, as torch.nn.SiLU).
float silu(float a);
/// silu'(a) = σ(a)·(1 + a·(1 − σ(a))).
float silu_derivative(float a);

/// The gated feed-forward network y = down(silu(gate(x)) ⊙ up(x)), C → F → C, no biases.
class SwiGLU {
public:
    SwiGLU(std::size_t d_model, std::size_t hidden, Rng& rng, const std::string& prefix);
    Tensor<3> forward(const Tensor<3>& x_BLC);
    Tensor<3> backward(const Tensor<3>& dy_BLC);
    ParameterList parameters();

    Linear gate_proj;  ///< C → F, through SiLU
    Linear up_proj;    ///< C → F, the gated values
    Linear down_proj;  ///< F → C

private:
    Tensor<3> a_BLF_, b_BLF_;  ///< gate_proj's and up_proj's outputs, for backward
    Tensor<3> sigma_BLF_;      ///< σ(a), for backward
};

// ---- grouped-query attention ------------------------------------------------------------

/// Causal self-attention with `heads` query heads sharing `kv_heads` key/value heads, and
/// rotary positions when `rope` is given (it must outlive the layer). Its projections are
/// LLaMA's q_proj [H·K, C], k_proj and v_proj [G·K, C], o_proj [C, H·K], without biases.
class GroupedQueryAttention {
public:
    GroupedQueryAttention(std::size_t d_model, std::size_t heads, std::size_t kv_heads,
                          const RotaryEmbedding* rope, Rng& rng, const std::string& prefix);

    /// Causal self-attention of x_BLC, its rows at positions 0 .. L − 1.
    Tensor<3> forward(const Tensor<3>& x_BLC);
    /// Accumulates the projections' gradients; returns ∂L/∂x (the sum of the query, key
    /// and value paths, since x is all three).
    Tensor<3> backward(const Tensor<3>& dy_BLC);

    ParameterList parameters();
    std::size_t heads() const { return heads_; }
    std::size_t kv_heads() const { return kv_heads_; }
    std::size_t head_dim() const { return head_dim_; }
    const RotaryEmbedding* rope() const { return rope_; }

    Linear q_proj, k_proj, v_proj, o_proj;

private:
    std::size_t heads_, kv_heads_, head_dim_;
    const RotaryEmbedding* rope_;
    ScaledDotProductAttention attention_;  ///< chapter 03's, on the grouped layout
    xt::xtensor<bool, 3> mask_;            ///< causal, for the grouped layout of length L:
    std::size_t mask_length_ = 0;          ///< [1, (H/G)·L, L]
};

}  // namespace tfm
