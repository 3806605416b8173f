// layer_norm.hpp — layer normalisation as the Annotated Transformer computes it (chapter 06).
//
// Each position's C-vector is centred and scaled to unit spread, then given a learned
// gain a_2 and bias b_2:
//
//     y = a_2 ⊙ (x − μ) / (σ + ε) + b_2,   μ = mean(x),   σ = sqrt(Σ(x − μ)² / (C − 1))
//
// Two details differ from PyTorch's nn.LayerNorm, and we keep them: σ is the *unbiased*
// standard deviation (divide by C − 1, as torch.std does by default), and ε = 1e-6 is
// added to σ, not to the variance under the square root. For [1, 0, 0, 0]: μ = 0.25,
// σ = 0.5, so y = [1.5, −0.5, −0.5, −0.5] (nn.LayerNorm gives [1.732, −0.577, …]).
//
// Backward, per row, with g = a_2 ⊙ dy, d = σ + ε and n = C:
//     dx_i = (g_i − mean(g)) / d − (x_i − μ) · Σ_j g_j (x_j − μ) / ((n − 1) · σ · d²)
//     da_2 += Σ_rows dy ⊙ x̂,   db_2 += Σ_rows dy,   x̂ = (x − μ) / d
// (derived on the chapter's page). A constant row has σ = 0; its second term is 0.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/parameter.hpp"

namespace tfm {

class LayerNorm {
public:
    /// `prefix` is the state_dict path, e.g. "encoder.norm." → "encoder.norm.a_2" and
    /// "encoder.norm.b_2". a_2 starts at ones, b_2 at zeros.
    explicit LayerNorm(std::size_t features, const std::string& prefix = "", float eps = 1e-6f);

    /// Normalises each row of the last axis; keeps x̂ and 1/d for backward.
    Tensor<3> forward(const Tensor<3>& x_BLC);
    /// Accumulates ∂L/∂a_2 and ∂L/∂b_2; returns ∂L/∂x.
    Tensor<3> backward(const Tensor<3>& dy_BLC);

    ParameterList parameters() { return {&a_2, &b_2}; }

    Parameter a_2;  ///< gain [C]
    Parameter b_2;  ///< bias [C]

private:
    std::size_t features_;
    float eps_;
    Tensor<3> xhat_BLC_;        ///< (x − μ) / (σ + ε)
    std::vector<float> inv_d_;  ///< 1 / (σ + ε) per row
    std::vector<float> sigma_;  ///< σ per row
};

/// The gradients of the gain and bias a normalisation ends with, y = a ⊙ x̂ + b:
/// ∂L/∂a += Σ_rows dy ⊙ x̂, and ∂L/∂b += Σ_rows dy when `bias` is given. The same for
/// every normalisation of this book: this chapter's, chapter 12's standard LayerNorm and
/// chapter 14's RMSNorm.
void add_gain_gradient(const Tensor<3>& dy_BLC, const Tensor<3>& xhat_BLC, Parameter& gain,
                       Parameter* bias);

}  // namespace tfm
