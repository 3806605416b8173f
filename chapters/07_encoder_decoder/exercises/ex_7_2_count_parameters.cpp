// Exercise 7.2 — how many parameters does make_model create?
//
// Count them from the architecture, not from a model: each Linear(in, out) has
// in·out + out; a LayerNorm(C) has 2C; an embedding table V·C. The encoder has N layers
// of (self-attention, feed-forward, 2 norms) and a final norm; the decoder N layers of
// (self-attention, cross-attention, feed-forward, 3 norms) and a final norm; then the two
// embedding tables and the generator. make_model(11, 11, 2) has 14,731,787.
//
// Test it with:  scripts/exercises 7.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::size_t count_model_parameters(const ModelConfig& config) {
    // TODO(ex 7.2): add up every block's parameters.
    throw std::logic_error("not implemented: exercise 7.2");
}

}  // namespace tfm::exercises
