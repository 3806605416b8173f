// Exercise 14.3 (experiment) — past the context with another base.
//
// A RoPE model can read windows longer than any it trained on, but its slow pairs then
// turn through angles it never saw. RoPE's base sets how slow they are, and it is no
// parameter: the same weights can be read with another base, untrained. Measure what
// that does: for several bases, the loss inside the trained context and past it.
//
// Predict first: does a larger base help past the context, and what does it cost inside?
// Then: why does changing a number no weight was trained with not simply break the model?
//
// Test it with:  scripts/exercises 14.3
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::vector<LossInsideAndPast> loss_past_context_by_base(ModernDecoder& model,
                                                         const std::vector<std::int64_t>& data,
                                                         std::size_t length,
                                                         const std::vector<double>& bases) {
    // TODO(ex 14.3): for each base, a model with that base and these weights; the loss at
    // each position of windows of `length`; its means inside and past block_size.
    throw std::logic_error("not implemented: exercise 14.3");
}

}  // namespace tfm::exercises
