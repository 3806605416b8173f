// Exercise 2.1 — the sinusoid table of the positional encoding.
//
// One frequency per pair of channels (2i, 2i+1): the angle pos / 10000^(2i/C), its sine
// in the even channel and its cosine in the odd one.
//
// Test it with:  scripts/exercises 2.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<2> sinusoid_table(std::size_t max_len, std::size_t d_model) {
    // TODO(ex 2.1): reject odd d_model; fill the [max_len, d_model] table.
    throw std::logic_error("not implemented: exercise 2.1");
}

}  // namespace tfm::exercises
