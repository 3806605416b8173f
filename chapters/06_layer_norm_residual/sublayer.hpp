// sublayer.hpp — the residual connection around every sublayer (chapter 06).
//
// Every attention and feed-forward sublayer of the Transformer sits inside a residual
// connection with a layer norm. The paper (§3.1) writes it *post-norm*:
//
//     y = LayerNorm(x + Dropout(Sublayer(x)))
//
// while the Annotated Transformer codes it *pre-norm*, normalising the sublayer's input
// and leaving the residual path untouched:
//
//     y = x + Dropout(Sublayer(LayerNorm(x)))
//
// (and, to compensate, adds one final LayerNorm after each stack — chapter 07). Both are
// here; pre-norm is the default, as in the Annotated Transformer. The sublayer is passed
// in as a function, so one class wraps attention, cross-attention and the feed-forward
// network alike; its backward is passed the same way.
//
// Backward (dy = ∂L/∂y):
//   pre-norm:   ds = dropout⁻(dy);  dx = dy + norm.backward(sublayer.backward(ds))
//   post-norm:  dz = norm.backward(dy);  dx = dz + sublayer.backward(dropout⁻(dz))
// The `dy +` / `dz +` is the residual path, and it bypasses the sublayer in both
// placements. In pre-norm it hands dy itself to x, through no norm at all. In post-norm
// the norm sits after the sum, so the residual path carries dz, the norm's backward of
// dy — not dy: every gradient passes through the layer norm first.
#pragma once

#include <cstddef>
#include <string>

#include <xtensor/xtensor.hpp>

#include "00_tensors/parameter.hpp"
#include "00_tensors/random.hpp"
#include "02_positional_encoding/dropout.hpp"
#include "layer_norm.hpp"

namespace tfm {

/// Where the layer norm goes.
enum class NormPlacement {
    Pre,   ///< x + dropout(sublayer(norm(x))) — the Annotated Transformer's code (default)
    Post,  ///< norm(x + dropout(sublayer(x))) — the paper's "Add & Norm"
};

class SublayerConnection {
public:
    /// `prefix` is the state_dict path, e.g. "encoder.layers.0.sublayer.1." → "…norm.a_2".
    SublayerConnection(std::size_t d_model, float dropout, Rng& rng, const std::string& prefix = "",
                       NormPlacement placement = NormPlacement::Pre)
        : norm(d_model, prefix + "norm."), dropout_(dropout, rng), placement_(placement) {}

    /// `sublayer` maps a [B, L, C] tensor to a [B, L, C] tensor (and keeps what its own
    /// backward needs).
    template <class Sublayer>
    Tensor<3> forward(const Tensor<3>& x_BLC, Sublayer&& sublayer) {
        if (placement_ == NormPlacement::Pre) {
            Tensor<3> s_BLC = sublayer(norm.forward(x_BLC));
            dropout_.forward_inplace(s_BLC.data(), s_BLC.size());
            s_BLC += x_BLC;  // the residual: x flows around the sublayer unchanged
            return s_BLC;
        }
        Tensor<3> s_BLC = sublayer(x_BLC);
        dropout_.forward_inplace(s_BLC.data(), s_BLC.size());
        s_BLC += x_BLC;
        return norm.forward(s_BLC);
    }

    /// `sublayer_backward` maps ∂L/∂(sublayer output) to ∂L/∂(sublayer input).
    template <class SublayerBackward>
    Tensor<3> backward(const Tensor<3>& dy_BLC, SublayerBackward&& sublayer_backward) {
        if (placement_ == NormPlacement::Pre) {
            Tensor<3> ds_BLC = dropout_.backward(dy_BLC);
            Tensor<3> dx_BLC = norm.backward(sublayer_backward(ds_BLC));
            dx_BLC += dy_BLC;  // the residual path's gradient, untouched by any norm
            return dx_BLC;
        }
        const Tensor<3> dz_BLC = norm.backward(dy_BLC);
        Tensor<3> dx_BLC = sublayer_backward(dropout_.backward(dz_BLC));
        dx_BLC += dz_BLC;
        return dx_BLC;
    }

    ParameterList parameters() { return norm.parameters(); }
    void train(bool training) { dropout_.train(training); }
    NormPlacement placement() const { return placement_; }

    LayerNorm norm;

private:
    Dropout dropout_;
    NormPlacement placement_;
};

}  // namespace tfm
