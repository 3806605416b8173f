// Exercise 8.2 — the label-smoothed target of one label.
//
// Instead of a one-hot target, label smoothing keeps 1 − ε on the right class and
// spreads ε over the V − 2 classes that are neither the label nor the padding token.
//
// Test it with:  scripts/exercises 8.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<1> smoothed_target(std::int64_t label, std::size_t vocab, std::int64_t padding_idx,
                          float smoothing) {
    // TODO(ex 8.2): fill with ε/(V − 2); the label gets 1 − ε; the padding class gets 0;
    // a padding label gets all zeros.
    throw std::logic_error("not implemented: exercise 8.2");
}

}  // namespace tfm::exercises
