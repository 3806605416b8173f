// Exercise 5.1 (derivation) — the gated network of the LLaMA models, forward and backward.
//
// The chapter shows SwiGLU's forward: two branches from the same input, one through
// Swish, multiplied unit by unit, then W2. Derive its backward: the product ⊙ sends the
// gradient into both branches, each weighted by the other, and Swish(z) = z·σ(z) has a
// derivative you can write with σ alone. Work one unit on paper first.
//
// Test it with:  scripts/exercises 5.1
#include <stdexcept>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

SwiGLUGrads swiglu(const Tensor<2>& x_RC, const Tensor<2>& W1_FC, const Tensor<2>& W3_FC,
                   const Tensor<2>& W2_CF, const Tensor<2>& dy_RC) {
    // TODO(ex 5.1): check shapes; forward (keep both branches); backward through W2, ⊙, Swish.
    throw std::logic_error("not implemented: exercise 5.1");
}

}  // namespace tfm::exercises
