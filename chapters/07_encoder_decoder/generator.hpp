// generator.hpp — the model's last step: from vectors to log-probabilities (chapter 07).
//
// The decoder produces a C-vector per target position; the generator turns each into a
// distribution over the V words of the target vocabulary, as the Annotated Transformer
// does, with a Linear layer (`generator.proj`) and a log-softmax:
//
//     log p = log_softmax(x · Wᵀ + b),
//     log_softmax(z)_v = z_v − max(z) − log Σ_u exp(z_u − max(z))
//
// Backward of log-softmax, with s = softmax(z): dz = dlogp − s · Σ_v dlogp_v (per row).
#pragma once

#include <cstddef>
#include <string>

#include <xtensor/xtensor.hpp>

#include "00_tensors/linear.hpp"
#include "00_tensors/parameter.hpp"
#include "00_tensors/random.hpp"

namespace tfm {

/// log-softmax over the last axis, row by row, stable for large logits.
Tensor<3> log_softmax(const Tensor<3>& z_BLV);

/// Its backward: dz = dlogp − softmax(z) · Σ dlogp, given the log-probabilities.
Tensor<3> log_softmax_backward(const Tensor<3>& logp_BLV, const Tensor<3>& dlogp_BLV);

class Generator {
public:
    Generator(std::size_t d_model, std::size_t vocab, Rng& rng,
              const std::string& prefix = "generator.");
    /// x_BLC → log-probabilities logp_BLV.
    Tensor<3> forward(const Tensor<3>& x_BLC);
    /// ∂L/∂logp → ∂L/∂x, accumulating proj's gradients.
    Tensor<3> backward(const Tensor<3>& dlogp_BLV);

    /// The logits z = x·Wᵀ + b alone, for a loss that applies the log-softmax itself
    /// (chapter 08's LabelSmoothing::forward_backward_logits).
    Tensor<3> logits(const Tensor<3>& x_BLC) { return proj.forward(x_BLC); }
    /// ∂L/∂z → ∂L/∂x, accumulating proj's gradients (after logits()).
    Tensor<3> backward_logits(const Tensor<3>& dz_BLV) { return proj.backward(dz_BLV); }
    ParameterList parameters() { return proj.parameters(); }

    Linear proj;  ///< C → V

private:
    Tensor<3> logp_BLV_;
};

}  // namespace tfm
