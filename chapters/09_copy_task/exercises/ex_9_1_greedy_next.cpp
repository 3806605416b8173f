// Exercise 9.1 — the greedy choice of the next token.
//
// Greedy decoding appends, at every step, the single most probable token. Given the
// generator's log-probabilities for the next position of each sequence, pick it.
//
// Test it with:  scripts/exercises 9.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

xt::xtensor<std::int64_t, 1> greedy_next_tokens(const Tensor<2>& logp_BV) {
    // TODO(ex 9.1): for every row b, the index v with the largest logp_BV(b, v).
    throw std::logic_error("not implemented: exercise 9.1");
}

}  // namespace tfm::exercises
