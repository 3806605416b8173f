// Exercise 6.2 — LayerNorm's backward for its input.
//
// Every output of the row depends on every input, through μ and through σ, so the
// gradient of x_i collects three paths: the direct one through x_i − μ, the one through
// the mean, and the one through σ. Derive it on paper before you code it — the chapter's
// "LayerNorm's backward" section does it, if you get stuck — and mind the row whose
// entries are all equal: its σ is 0.
//
// Test it with:  scripts/exercises 6.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<1> layer_norm_row_backward(const Tensor<1>& x_C, const Tensor<1>& a_C, const Tensor<1>& dy_C,
                                  float eps) {
    // TODO(ex 6.2): recompute what forward computed, then add up the three paths.
    throw std::logic_error("not implemented: exercise 6.2");
}

}  // namespace tfm::exercises
