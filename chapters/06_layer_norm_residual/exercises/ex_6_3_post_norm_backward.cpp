// Exercise 6.3 (derivation) — the backward of a post-norm residual connection, for one row.
//
// Post-norm, the paper's "Add & Norm", is y = LN(x + s(x)): the sublayer's output is
// added to its input and the sum is normalised. Here the sublayer is given by its output
// at this row, s = s(x), and by its Jacobian J, J(i, j) = ∂s_i/∂x_j — so the whole
// gradient can be worked out exactly. In which order does the gradient meet the norm, the
// sum and the sublayer, and which way round does J act on the way back?
//
// Test it with:  scripts/exercises 6.3
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<1> post_norm_backward_row(const Tensor<1>& x_C, const Tensor<1>& s_C, const Tensor<2>& J_CC,
                                 const Tensor<1>& a_C, const Tensor<1>& dy_C, float eps) {
    // TODO(ex 6.3): ∂L/∂x [C] for y = LN(x + s(x)).
    throw std::logic_error("not implemented: exercise 6.3");
}

}  // namespace tfm::exercises
