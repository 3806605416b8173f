// Exercise 6.1 — the Annotated Transformer's LayerNorm of one row.
//
// Centre the row, divide by its unbiased standard deviation plus eps (eps is added to
// σ, not to the variance), then apply the gain a and the bias b. The chapter's example:
// [1, 0, 0, 0] with a = 1, b = 0 gives [1.5, −0.5, −0.5, −0.5].
//
// Test it with:  scripts/exercises 6.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<1> layer_norm_row(const Tensor<1>& x_C, const Tensor<1>& a_C, const Tensor<1>& b_C,
                         float eps) {
    // TODO(ex 6.1): μ, σ = sqrt(Σ(x − μ)² / (C − 1)), then a ⊙ (x − μ)/(σ + eps) + b.
    throw std::logic_error("not implemented: exercise 6.1");
}

}  // namespace tfm::exercises
