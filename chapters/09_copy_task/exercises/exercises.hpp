// exercises.hpp — chapter 09's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstdint>

#include <xtensor/xtensor.hpp>

namespace tfm::exercises {

/// Exercise 9.1: the greedy choice. Given log-probabilities logp_BV of the next token
/// for B sequences, return the most probable token of each (the smallest id on a tie).
xt::xtensor<std::int64_t, 1> greedy_next_tokens(const xt::xtensor<float, 2>& logp_BV);

/// Exercise 9.2: the fraction of sequences decoded exactly: row b counts as right when
/// predicted_BL(b, l) == expected_BL(b, l) at every position l where expected_BL(b, l)
/// is not `pad`. Throws tfm::ShapeError if the shapes differ.
double sequence_accuracy(const xt::xtensor<std::int64_t, 2>& predicted_BL,
                         const xt::xtensor<std::int64_t, 2>& expected_BL, std::int64_t pad);

}  // namespace tfm::exercises
