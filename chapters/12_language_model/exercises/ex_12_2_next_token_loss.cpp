// Exercise 12.2 — the causal language-model loss, and its shift by one.
//
// A language model's labels are its inputs, moved one place: from a window of T + 1
// characters, position t reads character t and is scored on character t + 1. Get the
// shift wrong and the model is asked to predict what it is reading — a task it solves
// perfectly and learns nothing from.
//
// Test it with:  scripts/exercises 12.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

double next_token_loss(const Tensor<2>& logits_TV, const std::vector<std::int64_t>& window) {
    // TODO(ex 12.2): a stable log-softmax of each row, then the log-probability of the next id.
    throw std::logic_error("not implemented: exercise 12.2");
}

}  // namespace tfm::exercises
