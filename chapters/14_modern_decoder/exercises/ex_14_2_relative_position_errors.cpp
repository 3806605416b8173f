// Exercise 14.2 (experiment) — how exactly does a float32 RoPE depend on m − n alone?
//
// On paper, a query turned to m and a key turned to n score the same as at m + s and
// n + s, for any shift s. In float32 arithmetic, is that still so at position 10⁶, where
// today's long-context models read? Measure it: turn one query and one key to m + s and
// n + s for growing s, once with the chapter's RotaryEmbedding and once with the angles
// computed in float32 — as a model that fills its table of angles in float32 does — and
// compare each score with the exact one.
//
// Predict first: how does each error grow with the shift, and why? Then: what does the
// difference mean for a model that reads a million tokens?
//
// Test it with:  scripts/exercises 14.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

ShiftErrors relative_position_errors(const std::vector<float>& q, const std::vector<float>& k,
                                     std::size_t m, std::size_t n,
                                     const std::vector<std::size_t>& shifts) {
    // TODO(ex 14.2): the exact score once, in double; then for each shift the two float32
    // scores, and their distances from it over |q|·|k|.
    throw std::logic_error("not implemented: exercise 14.2");
}

}  // namespace tfm::exercises
