// Exercise 2.2 (derivation) — read the distance between two positions off their encodings.
//
// The chapter shows that moving k positions turns every sin/cos pair of the encoding by
// the angle ω_i·k. So two encodings hold their distance k, whatever their positions are —
// like the hands of a clock, which tell how much time has passed between two glances.
// Recover k exactly, for any two positions below 5,000 and any even C ≥ 16. Which pair
// of channels can tell you k without ambiguity, and why not the first?
//
// Test it with:  scripts/exercises 2.2
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

long offset_between(const Tensor<1>& a_C, const Tensor<1>& b_C) {
    // TODO(ex 2.2): check the sizes; the angle one pair turned through; k from it.
    throw std::logic_error("not implemented: exercise 2.2");
}

}  // namespace tfm::exercises
