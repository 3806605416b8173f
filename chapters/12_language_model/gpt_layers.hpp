// gpt_layers.hpp — the pieces a GPT uses where the book's Transformer differs
// (chapter 12): GELU, the standard LayerNorm, AdamW, and cosine learning-rate decay.
//
// nanoGPT (Karpathy), which this chapter's model follows, makes four choices the
// Annotated Transformer does not:
//
// * GELU instead of ReLU in the feed-forward network (Hendrycks & Gimpel, 2016):
//       gelu(x) = x · Φ(x),  Φ the standard normal CDF,
//       gelu'(x) = Φ(x) + x · φ(x),  φ(x) = exp(−x²/2) / √(2π).
//   A smooth ReLU: no kink at 0 (the gradient check needs no special care), and slightly
//   negative just below 0.
// * PyTorch's standard LayerNorm: the *biased* variance (divide by C) with ε = 1e-5
//   inside the square root, y = (x − μ)/√(σ² + ε) · w + b — where chapter 06's has the
//   unbiased σ and ε added to σ. Backward, with x̂ = (x − μ)/√(σ² + ε) and g = w ⊙ dy:
//       dx = (g − mean(g) − x̂ · mean(g ⊙ x̂)) / √(σ² + ε)
// * AdamW (Loshchilov & Hutter, 2019): weight decay applied to the weights directly,
//   θ ← θ · (1 − lr · λ), before Adam's step — "decoupled" from the gradient, so Adam's
//   per-parameter scaling does not weaken it. Only matrices decay (nanoGPT: parameters
//   with two or more dimensions), never biases or LayerNorm gains.
// * A cosine learning-rate schedule: a linear warm-up, then half a cosine from the
//   maximum down to a floor.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/parameter.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"
#include "08_training/optimizer.hpp"

namespace tfm {

/// gelu(x) = x·Φ(x), element-wise (the exact form, as torch.nn.GELU()).
Tensor<3> gelu(const Tensor<3>& x);
/// ∂L/∂x = dy ⊙ (Φ(x) + x·φ(x)).
Tensor<3> gelu_backward(const Tensor<3>& x, const Tensor<3>& dy);

/// PyTorch's nn.LayerNorm(C, eps = 1e-5), with a gain `weight` and, optionally, a bias.
class StandardLayerNorm {
public:
    StandardLayerNorm(std::size_t features, const std::string& prefix, bool with_bias = true,
                      float eps = 1e-5f);
    Tensor<3> forward(const Tensor<3>& x_BLC);
    Tensor<3> backward(const Tensor<3>& dy_BLC);
    ParameterList parameters();

    Parameter weight;  ///< [C], ones
    Parameter bias;    ///< [C], zeros (empty without a bias)

private:
    std::size_t features_;
    bool has_bias_;
    float eps_;
    Tensor<3> xhat_BLC_;
    std::vector<float> inv_std_;  ///< 1/√(σ² + ε) per row
};

/// AdamW as torch.optim.AdamW: decoupled weight decay λ on the parameters flagged in
/// `decay` (same order as `params`), then Adam's step.
class AdamW : public Adam {
public:
    AdamW(ParameterList params, std::vector<bool> decay, double weight_decay, double beta1 = 0.9,
          double beta2 = 0.99, double eps = 1e-8);

protected:
    /// 1 − lr · weight_decay for the matrices, 1 for gains and biases.
    float decay_factor(std::size_t i, double lr) const override;

private:
    std::vector<bool> decay_;
    double weight_decay_;
};

/// nanoGPT's schedule at iteration `it` (0-based): linear warm-up to `max_lr` over
/// `warmup` iterations, cosine decay to `min_lr` at `decay_iters`, then `min_lr`.
double cosine_rate(std::size_t it, double max_lr, double min_lr, std::size_t warmup,
                   std::size_t decay_iters);

}  // namespace tfm
