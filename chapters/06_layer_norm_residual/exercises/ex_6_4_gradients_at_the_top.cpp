// Exercise 6.4 (experiment) — why post-norm wants a warm-up: measure the gradients at the top.
//
// The chapter's figure follows the input's gradient down a stack of N blocks. Xiong et
// al. compare the two placements through the *parameters'* gradients instead; measure
// that in a small setting: build a stack of Linear sublayers in residual connections, as
// it is at initialisation, and take the gradient of the last block's weight, the one
// nearest the output. Predict first: as the stack grows from 2 to 24
// blocks, does that gradient grow, shrink or stay put — in pre-norm, behind its final
// norm, and in post-norm? Then think about what the same learning rate does to each.
//
// Test it with:  scripts/exercises 6.4
#include <stdexcept>

#include "00_tensors/linear.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

double top_weight_gradient(std::size_t depth, NormPlacement placement, std::size_t d_model,
                           Rng& rng) {
    // TODO(ex 6.4): build the stack, run it forward and backward once, return ‖∂L/∂W‖ / ‖∂L/∂y‖.
    throw std::logic_error("not implemented: exercise 6.4");
}

}  // namespace tfm::exercises
