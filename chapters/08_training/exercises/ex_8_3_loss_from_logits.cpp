// Exercise 8.3 — label smoothing taken straight from the logits.
//
// The chapter computes the loss from log-probabilities, hands ∂L/∂log p back to the
// generator's log-softmax, and lets its backward turn that into a gradient of the logits:
// two steps, and two [N, V] temporaries. Both steps are simple, so their composition is
// too. Write the loss as a function of the logits z themselves, differentiate it once,
// and compute loss and gradient in one pass over each row. (This fused form is what the
// trainer runs.)
//
// Test it with:  scripts/exercises 8.3
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

LossAndGradient smoothed_loss_from_logits(const Tensor<2>& z_NV,
                                          const xt::xtensor<std::int64_t, 1>& y_N,
                                          std::int64_t padding_idx, float smoothing) {
    // TODO(ex 8.3): per row, the smoothed target, a stable log-softmax, the loss and ∂loss/∂z.
    throw std::logic_error("not implemented: exercise 8.3");
}

}  // namespace tfm::exercises
