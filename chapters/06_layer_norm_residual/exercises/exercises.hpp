// exercises.hpp — chapter 06's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/sublayer.hpp"

namespace tfm::exercises {

/// Exercise 6.1: the Annotated Transformer's LayerNorm of one row:
/// y = a ⊙ (x − μ) / (σ + eps) + b with σ the *unbiased* standard deviation.
Tensor<1> layer_norm_row(const Tensor<1>& x_C, const Tensor<1>& a_C, const Tensor<1>& b_C,
                         float eps);

/// Exercise 6.2: its backward for the input: given dy = ∂L/∂y for the row x_C, with the
/// same gain a_C and eps (the bias b does not change the gradient), returns ∂L/∂x. A
/// constant row, whose σ is 0, must still get a finite gradient: the one the chapter's
/// LayerNorm gives.
Tensor<1> layer_norm_row_backward(const Tensor<1>& x_C, const Tensor<1>& a_C, const Tensor<1>& dy_C,
                                  float eps);

/// Exercise 6.3: the backward of a post-norm residual connection for one row,
/// y = LN(x + s(x)), with the chapter's LayerNorm (gain a_C, eps; its bias does not change
/// the gradient) and no dropout. The sublayer is given by its output at this row,
/// s_C = s(x), and its Jacobian J_CC, J(i, j) = ∂s_i/∂x_j (for a Linear layer, its
/// weight). Given dy = ∂L/∂y, returns ∂L/∂x. Throws tfm::ShapeError if the sizes differ.
Tensor<1> post_norm_backward_row(const Tensor<1>& x_C, const Tensor<1>& s_C, const Tensor<2>& J_CC,
                                 const Tensor<1>& a_C, const Tensor<1>& dy_C, float eps);

/// Exercise 6.4: the size of the gradients at the top of a deep stack, at initialisation.
/// Builds `depth` residual blocks of width C = d_model, each a Linear(C, C) sublayer with
/// a Xavier-uniform weight inside a SublayerConnection with `placement` and dropout 0;
/// for pre-norm, the stack ends with one more LayerNorm(C), as the Annotated
/// Transformer's stacks do (chapter 07). Runs an input x [4, 16, C] and an upstream
/// gradient ∂L/∂y of the same shape, both with N(0, 1) entries drawn from `rng`, forward
/// and backward, and returns ‖∂L/∂W‖ / ‖∂L/∂y‖ (Frobenius norms) for the weight W of the
/// last block's sublayer. Throws std::invalid_argument if depth is 0.
double top_weight_gradient(std::size_t depth, NormPlacement placement, std::size_t d_model,
                           Rng& rng);

}  // namespace tfm::exercises
