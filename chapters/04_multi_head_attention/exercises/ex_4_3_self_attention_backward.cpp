// Exercise 4.3 — the input gradient of multi-head self-attention.
//
// In self-attention one sequence x is the query, the key and the value. The module's
// backward returns three gradients and leaves the adding to its caller. Here you compute
// ∂L/∂x yourself, from the pieces the module shows: its four Linear layers (whose
// backward also accumulates their weight gradients), tfm::split_heads and
// tfm::merge_heads, and a ScaledDotProductAttention of your own — the module's own
// attention, and what it kept from forward, are private.
//
// Test it with:  scripts/exercises 4.3
#include <stdexcept>

#include "04_multi_head_attention/multi_head_attention.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<3> self_attention_input_gradient(MultiHeadedAttention& mha, const Tensor<3>& x_BLC,
                                        const Tensor<3>& dout_BLC) {
    // TODO(ex 4.3): ∂L/∂x [B, L, C], through every step of forward in reverse.
    throw std::logic_error("not implemented: exercise 4.3");
}

}  // namespace tfm::exercises
