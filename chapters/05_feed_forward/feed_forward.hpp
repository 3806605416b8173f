// feed_forward.hpp — the position-wise feed-forward network (chapter 05).
//
// The paper's §3.3: after attention has mixed information *between* positions, every
// position is transformed on its own by the same two-layer network,
//
//     FFN(x) = w_2(dropout(relu(w_1(x)))),   w_1: C → F,  w_2: F → C,
//
// with F = d_ff = 2048 and C = 512 in the base model. "Position-wise" means the same
// weights for every position, with no interaction between positions: a [B, L, C] input
// is simply B·L rows for two Linear layers, two sgemms.
//
// Backward, with h = w_1(x) (the pre-activation) and a = dropout(relu(h)):
//     da = w_2 backward of dy       dh = da ⊙ dropout mask ⊙ [h > 0]       dx = w_1 backward of dh
// ReLU's derivative is 1 where h > 0 and 0 where h < 0; at h = 0 exactly it has none,
// and we use 0, as PyTorch does.
#pragma once

#include <cstddef>
#include <string>

#include <xtensor/xtensor.hpp>

#include "00_tensors/linear.hpp"
#include "00_tensors/parameter.hpp"
#include "00_tensors/random.hpp"
#include "02_positional_encoding/dropout.hpp"

namespace tfm {

class PositionwiseFeedForward {
public:
    /// `prefix` is the state_dict path, e.g. "encoder.layers.0.feed_forward.", giving
    /// "…feed_forward.w_1.weight" [F, C], "…w_1.bias" [F], "…w_2.weight" [C, F], "…w_2.bias" [C].
    PositionwiseFeedForward(std::size_t d_model, std::size_t d_ff, float dropout, Rng& rng,
                            const std::string& prefix = "");

    /// y_BLC = w_2(dropout(relu(w_1(x_BLC)))).
    Tensor<3> forward(const Tensor<3>& x_BLC);
    /// Accumulates the gradients of w_1 and w_2; returns ∂L/∂x.
    Tensor<3> backward(const Tensor<3>& dy_BLC);

    /// The pre-activations w_1(x) of the last forward, [B, L, F] (what ReLU decides on).
    const Tensor<3>& pre_activation() const { return h_BLF_; }

    ParameterList parameters();
    void train(bool training) { dropout_.train(training); }

    Linear w_1;  ///< C → F
    Linear w_2;  ///< F → C

private:
    Dropout dropout_;
    Tensor<3> h_BLF_;  ///< w_1(x), kept for ReLU's backward
};

}  // namespace tfm
