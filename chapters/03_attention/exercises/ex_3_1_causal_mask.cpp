// Exercise 3.1 — the causal ("subsequent") mask.
//
// In the decoder, the word at position l must not see the words after it: during
// training the whole target sentence is fed at once, and without the mask the model
// would simply copy the next word. Row l of the mask allows columns 0..l.
//
// Test it with:  scripts/exercises 3.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

xt::xtensor<bool, 2> causal_mask(std::size_t length) {
    // TODO(ex 3.1): an [L, L] bool tensor, true where column ≤ row.
    throw std::logic_error("not implemented: exercise 3.1");
}

}  // namespace tfm::exercises
