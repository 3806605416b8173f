// Exercise 4.3 (derivation) — what do heads cost?
//
// Count the work of the matrix products in one forward and one backward of the chapter's
// MultiHeadedAttention, from the shapes alone: every product of an m×k by a k×n matrix is
// m·k·n multiply-adds, 2 floating-point operations each. Read forward and backward in
// multi_head_attention.cpp and chapter 03's attention.cpp to see which products they
// run. The test counts the operations the program really performs (tfm::sgemm_flops) and
// compares. Before you start: how should the count change with the number of heads?
//
// Test it with:  scripts/exercises 4.3
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

AttentionFlops multi_head_attention_flops(std::size_t B, std::size_t L, std::size_t M,
                                          std::size_t C, std::size_t H) {
    // TODO(ex 4.3): the projections, the scores, the weighted values; then backward's.
    throw std::logic_error("not implemented: exercise 4.3");
}

}  // namespace tfm::exercises
