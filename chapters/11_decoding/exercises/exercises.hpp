// exercises.hpp — chapter 11's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 11.1: append one step's keys to a cache. k_R1C holds, for each of R rows, the
/// new key of all H heads side by side (C = H·K channels); cache_RHNK holds each row's
/// and head's keys for N positions. Write row r's head h — channels h·K .. h·K + K − 1 —
/// into cache_RHNK(r, h, position, :). Throws tfm::ShapeError if R or C do not match,
/// std::out_of_range if position >= N.
void append_to_cache(Tensor<4>& cache_RHNK, const Tensor<3>& k_R1C, std::size_t position);

/// Exercise 11.2: which finished hypothesis wins? Each has a total log-probability and a
/// length (its tokens, `</s>` included); return the index of the one with the highest
/// log_prob / ((5 + length) / 6)^alpha, the first one on a tie. Throws
/// std::invalid_argument if the lists are empty or of different sizes.
std::size_t best_hypothesis(const std::vector<double>& log_probs,
                            const std::vector<std::size_t>& lengths, double alpha);

}  // namespace tfm::exercises
