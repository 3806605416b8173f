// loss.hpp — the training losses: label smoothing and plain cross-entropy (chapter 08).
//
// The output of the model is a V-way classification at every target position, trained
// with log loss. Given log-probabilities logp[b, l, :] and the label y[b, l]:
//
// * Cross-entropy: −log p(y), summed over non-pad positions.
// * Label smoothing (Szegedy et al.; the paper's ε_ls = 0.1), as the Annotated
//   Transformer builds it: the target distribution q puts `confidence` = 1 − ε on the
//   label and spreads ε over the other V − 2 classes (not the label, not the padding
//   token); the padding column is 0, and rows whose label is padding are 0. The loss is
//   the KL divergence Σ q·(log q − logp), summed.
//
// Both return the summed loss; callers divide by the number of label tokens. Backward
// goes straight into the generator's log-softmax: ∂L/∂logp = −q (−one-hot for plain
// cross-entropy), times the upstream scale.
//
// Through the log-softmax the two steps collapse into one famous formula. With
// logp = z − logsumexp(z) and p = softmax(z), ∂logp_u/∂z_v = δ_uv − p_v, so
//
//     ∂L/∂z_v = Σ_u (−q_u)(δ_uv − p_v) = p_v · Σ_u q_u − q_v = p_v − q_v
//
// (Σ q = 1 on a row with a real label, and the row is 0 on padding). The loss itself
// needs only the row's logsumexp, the label's logit and the row's sum. The trainer uses
// this fused form, forward_backward_logits: one pass over the [B, L, V] logits instead
// of five, and none of the [B, L, V] temporaries (q, log p, their gradients) — with a
// vocabulary of thousands, those passes cost more than the generator's product itself.
// The tests check it against the three-step form above.
#pragma once

#include <cstddef>
#include <cstdint>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm {

class LabelSmoothing {
public:
    LabelSmoothing(std::size_t vocab, std::int64_t padding_idx, float smoothing);

    /// The smoothed target distribution q [B, L, V] for labels y [B, L].
    Tensor<3> target_distribution(const xt::xtensor<std::int64_t, 2>& y_BL) const;
    /// Σ q·(log q − logp) over all entries with q > 0 (so a −inf logp where q = 0 is harmless).
    double forward(const Tensor<3>& logp_BLV, const xt::xtensor<std::int64_t, 2>& y_BL);
    /// ∂(scale · loss)/∂logp = −scale · q, for the last forward.
    Tensor<3> backward(float scale) const;
    /// The entropy Σ −q log q of the last target distribution: KL = cross-entropy − this.
    double target_entropy() const;

    /// The loss from the generator's logits z (before the log-softmax), summed over the
    /// rows; with scale > 0, z is overwritten by ∂(scale · loss)/∂z = scale · (p − q)
    /// (0 on padding rows). One pass per row, no [B, L, V] temporaries.
    double forward_backward_logits(Tensor<3>& z_BLV, const xt::xtensor<std::int64_t, 2>& y_BL,
                                   float scale);

    float confidence() const { return 1.0f - smoothing_; }

private:
    std::size_t vocab_;
    std::int64_t padding_idx_;
    float smoothing_;
    Tensor<3> q_BLV_;
};

/// Plain cross-entropy, −Σ log p(y) over labels that are not `padding_idx`.
double cross_entropy(const Tensor<3>& logp_BLV, const xt::xtensor<std::int64_t, 2>& y_BL,
                     std::int64_t padding_idx);
/// Its gradient with respect to logp, times `scale`: −scale at each (non-pad) label.
Tensor<3> cross_entropy_backward(const Tensor<3>& logp_BLV,
                                 const xt::xtensor<std::int64_t, 2>& y_BL, std::int64_t padding_idx,
                                 float scale);

}  // namespace tfm
