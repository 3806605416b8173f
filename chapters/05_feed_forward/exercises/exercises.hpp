// exercises.hpp — chapter 05's exercises (run `scripts/exercises` from the top).
//
// Exercise 5.1 works on rows, as tfm::Linear does: R is the number of rows.
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// The SwiGLU network's output and the gradients of all its inputs (exercise 5.1).
struct SwiGLUGrads {
    Tensor<2> y_RC;    ///< the output [R, C]
    Tensor<2> dx_RC;   ///< ∂L/∂x
    Tensor<2> dW1_FC;  ///< ∂L/∂W1
    Tensor<2> dW3_FC;  ///< ∂L/∂W3
    Tensor<2> dW2_CF;  ///< ∂L/∂W2
};

/// Exercise 5.1 (derivation): the gated feed-forward network of the LLaMA models, forward
/// and backward, on rows x_RC [R, C]:
///     y = (Swish(x·W1ᵀ) ⊙ x·W3ᵀ)·W2ᵀ,   Swish(z) = z·σ(z),
/// with W1 and W3 [F, C] and W2 [C, F] (PyTorch's [out, in] layout, no biases). Given
/// dy_RC = ∂L/∂y, returns the output and the gradients of x, W1, W3 and W2. Throws
/// tfm::ShapeError when the shapes do not fit.
SwiGLUGrads swiglu(const Tensor<2>& x_RC, const Tensor<2>& W1_FC, const Tensor<2>& W3_FC,
                   const Tensor<2>& W2_CF, const Tensor<2>& dy_RC);

/// Exercise 5.2 (experiment): how large is the network's output at initialisation? Builds
/// a tfm::PositionwiseFeedForward(C, F, dropout 0) from `rng`, re-initialises the weights
/// of w_1 and w_2 with Xavier uniform as make_model does (chapter 07; the biases keep
/// nn.Linear's default), runs it on x [8, 16, C] with N(0, 1) entries drawn from `rng`,
/// and returns the mean of y² over the mean of x².
double feed_forward_output_scale(std::size_t C, std::size_t F, Rng& rng);

/// Exercise 5.3 (derivation): the backward of GELU (Hendrycks and Gimpel, 2016), the
/// activation of GPT and BERT, in its exact form GELU(x) = x·Φ(x) with Φ the standard
/// normal distribution function, Φ(x) = (1 + erf(x/√2))/2. Returns dy ⊙ GELU'(x), element
/// by element. Throws tfm::ShapeError if the shapes differ.
Tensor<2> gelu_backward(const Tensor<2>& x, const Tensor<2>& dy);

}  // namespace tfm::exercises
