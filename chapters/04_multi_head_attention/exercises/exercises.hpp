// exercises.hpp — chapter 04's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

namespace tfm::exercises {

/// Exercise 4.1: split the C channels of x_BLC into H heads of K = C / H channels:
/// out(b, h, l, k) = x(b, l, h·K + k). Throws tfm::ShapeError if H does not divide C.
xt::xtensor<float, 4> split_into_heads(const xt::xtensor<float, 3>& x_BLC, std::size_t heads);

/// Exercise 4.2: the inverse, concatenating the heads: out(b, l, h·K + k) = x(b, h, l, k).
xt::xtensor<float, 3> concat_heads(const xt::xtensor<float, 4>& x_BHLK);

}  // namespace tfm::exercises
