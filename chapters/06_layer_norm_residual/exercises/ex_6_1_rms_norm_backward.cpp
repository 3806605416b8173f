// Exercise 6.1 (derivation) — RMSNorm's backward.
//
// The LLaMA models replace LayerNorm by RMSNorm: divide each row by its root mean square,
// multiply by a gain, and that is all — no mean subtracted, no bias. Derive its backward
// for one row, for the input and for the gain. The chapter's LayerNorm derivation has the
// same shape; which of its terms survive here? Check one property before you code:
// scaling x by any factor leaves y almost unchanged, so what must the dot product of x
// with its gradient be?
//
// Test it with:  scripts/exercises 6.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

RMSNormGrads rms_norm_row_backward(const Tensor<1>& x_C, const Tensor<1>& g_C,
                                   const Tensor<1>& dy_C, float eps) {
    // TODO(ex 6.1): recompute r and x̂ = x / r; then ∂L/∂g and ∂L/∂x.
    throw std::logic_error("not implemented: exercise 6.1");
}

}  // namespace tfm::exercises
