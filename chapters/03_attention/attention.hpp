// attention.hpp — scaled dot-product attention, forward and backward (chapter 03).
//
//     Attention(Q, K, V) = softmax(Q·Kᵀ / √K) · V          (the paper's equation 1)
//
// for a batch of B sequences and H heads at once: queries q_BHLK, keys k_BHMK and values
// v_BHMK. Each of the L queries scores all M keys (a dot product each), the scores are
// scaled by 1/√K, masked positions are set to −1e9 (after scaling, as the Annotated
// Transformer does), a softmax over the M keys turns each row into weights, dropout is
// applied to the weights in training mode, and the output row is the weighted average
// of the value rows:
//
//     scores_BHLM = q·kᵀ / √K,  p_BHLM = softmax(masked scores),  out_BHLK = dropout(p)·v
//
// Both products are batched sgemms over the B·H slices; kᵀ is a transpose flag.
//
// Backward, with d = ∂L/∂(·), p̃ = dropout(p):
//     dp̃ = dout·vᵀ         dv = p̃ᵀ·dout
//     dp = dropout backward of dp̃
//     ds = p ⊙ (dp − Σ_m dp⊙p)   (softmax backward), and 0 where masked
//     dq = ds·k / √K       dk = dsᵀ·q / √K
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "02_positional_encoding/dropout.hpp"

namespace tfm {

/// The gradients of attention's three inputs.
struct AttentionGrads {
    Tensor<4> dq_BHLK;
    Tensor<4> dk_BHMK;
    Tensor<4> dv_BHMK;
};

/// The value written over masked scores (after scaling), as in the Annotated Transformer.
inline constexpr float kMaskedScore = -1e9f;

class ScaledDotProductAttention {
public:
    /// `dropout` applies to the attention weights in training mode; draws come from rng.
    ScaledDotProductAttention(float dropout, Rng& rng);

    /// Unmasked attention: every query sees every key. The inputs are taken by value
    /// because backward needs them: a caller passing temporaries (std::move) hands them
    /// over without a copy; one passing its own tensors pays exactly one copy.
    Tensor<4> forward(Tensor<4> q_BHLK, Tensor<4> k_BHMK, Tensor<4> v_BHMK);
    /// Masked attention; mask_BXM is [B, 1, M] or [B, L, M] (or [1, ·, M] for all of the
    /// batch), true where attending is allowed.
    Tensor<4> forward(Tensor<4> q_BHLK, Tensor<4> k_BHMK, Tensor<4> v_BHMK,
                      const xt::xtensor<bool, 3>& mask_BXM);

    /// Gradients of q, k and v for the last forward, given ∂L/∂out.
    AttentionGrads backward(const Tensor<4>& dout_BHLK);

    /// The attention weights of the last forward, before dropout: rows sum to 1.
    const Tensor<4>& probabilities() const { return p_BHLM_; }

    void train(bool training) { dropout_.train(training); }

private:
    Tensor<4> run(Tensor<4>&& q_BHLK, Tensor<4>&& k_BHMK, Tensor<4>&& v_BHMK,
                  const xt::xtensor<bool, 3>* mask_BXM);

    Dropout dropout_;
    // Kept by forward for backward.
    Tensor<4> q_BHLK_, k_BHMK_, v_BHMK_;
    Tensor<4> p_BHLM_;               ///< softmax output
    Tensor<4> p_dropped_BHLM_;       ///< after dropout (what multiplied v)
    xt::xtensor<bool, 3> mask_BXM_;  ///< empty when unmasked
};

}  // namespace tfm
