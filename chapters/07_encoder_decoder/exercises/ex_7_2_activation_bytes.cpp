// Exercise 7.2 (derivation) — the memory a training step keeps for backward.
//
// Backward needs what forward saw: every module keeps some of its inputs and
// intermediate results until backward has used them. That memory, not the parameters,
// is what usually limits the batch a machine can train. Count it from the shapes: go
// through the modules the model is built from (chapters 00–06: Linear, Dropout,
// LayerNorm, ScaledDotProductAttention, MultiHeadedAttention, PositionwiseFeedForward,
// Embeddings, PositionalEncoding), list what each keeps and with which shape, and add it
// up for the whole model. The test measures the heap the program really holds after a
// forward pass and compares. Which terms grow with the square of the length?
//
// Test it with:  scripts/exercises 7.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::size_t activation_bytes(const ModelConfig& config, std::size_t B, std::size_t M,
                             std::size_t L) {
    // TODO(ex 7.2): per module, what forward keeps; per layer; the whole model, in bytes.
    throw std::logic_error("not implemented: exercise 7.2");
}

}  // namespace tfm::exercises
