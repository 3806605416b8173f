// multi_head_attention.hpp — multi-head attention (chapter 04).
//
// The paper's §3.2.2, as the Annotated Transformer codes it:
//
//     MultiHead(Q, K, V) = Concat(head_1, ..., head_H) · W_O,
//     head_i = Attention(Q·W_Q,i, K·W_K,i, V·W_V,i)
//
// Four [C, C] projections named `linears.0` .. `linears.3` (W_Q, W_K, W_V, W_O, each an
// nn.Linear with its bias). The C output channels of W_Q are read as H groups of
// K = C/H: that is the head split [B, L, C] → [B, H, L, K]. Each head attends on its
// own (chapter 03, batched over B·H), and the heads' outputs are merged back
// [B, H, L, K] → [B, L, C] before W_O mixes them.
//
// Self-attention passes the same sequence as query, key and value (M = L), or calls
// forward_self, which keeps that sequence for backward once instead of three times;
// cross-attention passes the decoder's sequence as query and the encoder's output, the
// memory, as key and value (M ≠ L in general).
//
// Backward runs the same steps in reverse; a sequence used in several roles (x as
// query, key and value in self-attention) receives the sum of their gradients.
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

/// [B, L, C] → [B, H, L, K] with K = C / H: channel h·K + k of position l becomes
/// entry (h, l, k). A copy, so that every head is one contiguous [L, K] slice for sgemm.
Tensor<4> split_heads(const Tensor<3>& x_BLC, std::size_t heads);

/// The inverse of split_heads: [B, H, L, K] → [B, L, H·K].
Tensor<3> merge_heads(const Tensor<4>& x_BHLK);

/// The gradients of the three inputs of multi-head attention.
struct MultiHeadGrads {
    Tensor<3> dquery_BLC;
    Tensor<3> dkey_BMC;
    Tensor<3> dvalue_BMC;
};

class MultiHeadedAttention {
public:
    /// `prefix` is the module's state_dict path, e.g. "encoder.layers.0.self_attn.".
    /// Throws std::invalid_argument unless heads divides d_model.
    /// `with_bias` false gives the four projections no bias (chapter 12's language model).
    MultiHeadedAttention(std::size_t heads, std::size_t d_model, float dropout, Rng& rng,
                         const std::string& prefix = "", bool with_bias = true);

    /// Attention of query_BLC over key_BMC / value_BMC, without a mask.
    Tensor<3> forward(const Tensor<3>& query_BLC, const Tensor<3>& key_BMC,
                      const Tensor<3>& value_BMC);
    /// The same with a mask [B or 1, 1 or L, M] (true = may attend), shared by all heads.
    Tensor<3> forward(const Tensor<3>& query_BLC, const Tensor<3>& key_BMC,
                      const Tensor<3>& value_BMC, const xt::xtensor<bool, 3>& mask_BXM);

    /// Accumulates the projections' gradients; returns the inputs' gradients.
    MultiHeadGrads backward(const Tensor<3>& dout_BLC);

    /// Self-attention, x_BLC as query, key and value at once: forward(x, x, x, mask), but
    /// x is kept for backward once rather than three times.
    Tensor<3> forward_self(const Tensor<3>& x_BLC);
    Tensor<3> forward_self(const Tensor<3>& x_BLC, const xt::xtensor<bool, 3>& mask_BXL);
    /// After forward_self: accumulates the projections' gradients and returns x's, the sum
    /// of its three roles' gradients, added up inside the products.
    Tensor<3> backward_self(const Tensor<3>& dout_BLC);

    /// The attention weights of the last forward, one [L, M] map per head: [B, H, L, M].
    const Tensor<4>& attention_weights() const { return attention_.probabilities(); }

    ParameterList parameters();
    void train(bool training) { attention_.train(training); }
    std::size_t heads() const { return heads_; }

    std::vector<Linear> linears;  ///< W_Q, W_K, W_V, W_O as linears.0 .. linears.3

private:
    Tensor<3> run(const Tensor<3>& query_BLC, const Tensor<3>& key_BMC, const Tensor<3>& value_BMC,
                  const xt::xtensor<bool, 3>* mask_BXM);
    Tensor<3> run_self(const Tensor<3>& x_BLC, const xt::xtensor<bool, 3>* mask_BXL);
    // Steps 2–4 of forward, from the projected queries, keys and values.
    Tensor<3> attend(const Tensor<3>& q_BLC, const Tensor<3>& k_BMC, const Tensor<3>& v_BMC,
                     const xt::xtensor<bool, 3>* mask_BXM);
    // Steps 4–2 of backward: the projections' outputs' gradients.
    AttentionGrads attend_backward(const Tensor<3>& dout_BLC);

    std::size_t heads_;
    std::size_t d_model_;
    ScaledDotProductAttention attention_;
    bool last_forward_self_ = false;  ///< which backward the last forward allows
};

}  // namespace tfm
