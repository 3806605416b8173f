// exercises.hpp — chapter 06's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/sublayer.hpp"

namespace tfm::exercises {

/// The gradients of one row of RMSNorm (exercise 6.1).
struct RMSNormGrads {
    Tensor<1> dx_C;  ///< ∂L/∂x
    Tensor<1> dg_C;  ///< ∂L/∂g, the gain's gradient
};

/// Exercise 6.1 (derivation): RMSNorm (Zhang and Sennrich, 2019), the norm of the LLaMA
/// models, backward for one row: y = g ⊙ x / r with r = √(mean(x²) + eps) — no mean
/// subtracted and no bias. Given dy = ∂L/∂y, returns ∂L/∂x and ∂L/∂g. Throws
/// tfm::ShapeError if the sizes differ.
RMSNormGrads rms_norm_row_backward(const Tensor<1>& x_C, const Tensor<1>& g_C,
                                   const Tensor<1>& dy_C, float eps);

/// What exercise 6.2 measures.
struct ScaledWeight {
    double output_change = 0.0;    ///< max |y(αW) − y(W)| over the output's entries
    double gradient_ratio = 0.0;   ///< ‖∂L/∂W at αW‖ / ‖∂L/∂W at W‖
    double gradient_cosine = 0.0;  ///< cos of the angle between ∂L/∂W (at W) and W
};

/// Exercise 6.2 (experiment): a weight in front of a norm. Builds y = LN(x·Wᵀ) from a
/// Linear(C, C) without bias, its weight Xavier-initialised, and the chapter's LayerNorm;
/// draws x [4, 8, C] and an upstream gradient ∂L/∂y with N(0, 1) entries from `rng`; runs
/// forward and backward with W and again with W multiplied by `alpha`, and returns how
/// much the output moved, how the weight's gradient changed, and the angle between W and
/// its gradient. Throws std::invalid_argument unless alpha > 0.
ScaledWeight scale_weight_before_norm(double alpha, std::size_t C, Rng& rng);

/// Exercise 6.3 (derivation): the backward of a post-norm residual connection for one row,
/// y = LN(x + s(x)), with the chapter's LayerNorm (gain a_C, eps; its bias does not change
/// the gradient) and no dropout. The sublayer is given by its output at this row,
/// s_C = s(x), and its Jacobian J_CC, J(i, j) = ∂s_i/∂x_j (for a Linear layer, its
/// weight). Given dy = ∂L/∂y, returns ∂L/∂x. Throws tfm::ShapeError if the sizes differ.
Tensor<1> post_norm_backward_row(const Tensor<1>& x_C, const Tensor<1>& s_C, const Tensor<2>& J_CC,
                                 const Tensor<1>& a_C, const Tensor<1>& dy_C, float eps);

/// Exercise 6.4 (experiment): the size of the gradients at the top of a deep stack, at
/// initialisation. Builds `depth` residual blocks of width C = d_model, each a Linear(C, C)
/// sublayer with a Xavier-uniform weight inside a SublayerConnection with `placement` and dropout
/// 0; for pre-norm, the stack ends with one more LayerNorm(C), as the Annotated Transformer's
/// stacks do (chapter 07). Runs an input x [4, 16, C] and an upstream gradient ∂L/∂y of the same
/// shape, both with N(0, 1) entries drawn from `rng`, forward and backward, and returns ‖∂L/∂W‖ /
/// ‖∂L/∂y‖ (Frobenius norms) for the weight W of the last block's sublayer. Throws
/// std::invalid_argument if depth is 0.
///
/// Every draw comes from `rng`, in this order, and the test replays them: block by block
/// from the bottom, Linear(C, C, rng) (which draws nn.Linear's default weight, then its
/// bias, kept) followed at once by xavier_uniform(weight.value, rng); then x with
/// fill_normal(x, 0, 1, rng); then ∂L/∂y the same way. Nothing else draws: a
/// SublayerConnection with dropout 0 never does. The result must be the replayed stack's
/// to float rounding, not merely a number of the right size.
double top_weight_gradient(std::size_t depth, NormPlacement placement, std::size_t d_model,
                           Rng& rng);

}  // namespace tfm::exercises
