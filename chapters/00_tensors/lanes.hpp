// lanes.hpp — sums that the compiler can put on vector instructions.
//
// A plain loop `total += term(i)` is one long chain of additions: floating-point addition
// is not associative, so the compiler must add the terms one at a time, in order, and a
// CPU that could add eight doubles per instruction adds one. Layer norm's mean and
// variance, the gradient norm and every other row statistic are such loops.
//
// sum_in_lanes keeps kLanes running sums instead — term 0 into lane 0, term 1 into lane 1,
// …, term 8 into lane 0 again — and adds the lanes together at the end. The kLanes
// additions of one round are independent, so they become one vector instruction. The
// order of the additions is still fixed (it depends on n alone), so the result is the
// same on every run and on any number of threads; it differs from the one-chain sum only
// in the last bits, as any other order would. A maximum, which has no rounding, comes out
// as the plain loop's.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>

namespace tfm {

/// Σ_{i<n} term(i) in double, accumulated in kLanes interleaved partial sums.
template <class Term>
inline double sum_in_lanes(std::size_t n, Term term) {
    constexpr std::size_t kLanes = 8;  // eight doubles: one AVX-512 register, two AVX2
    double lanes[kLanes] = {};
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (std::size_t l = 0; l < kLanes; ++l) lanes[l] += term(i + l);
    for (std::size_t l = 0; l < kLanes; ++l)  // the last n mod kLanes terms
        if (i + l < n) lanes[l] += term(i + l);
    double total = 0.0;
    for (double lane : lanes) total += lane;
    return total;
}

/// max_{i<n} x[i] (−∞ for n = 0), in kLanes running maxima. The maximum does not depend
/// on the order, so this is the one-at-a-time loop's answer (up to the sign of a zero;
/// a NaN is passed over, as std::max passes it over), only faster.
inline float max_in_lanes(std::size_t n, const float* x) {
    constexpr std::size_t kLanes = 16;  // sixteen floats: one AVX-512 register
    float lanes[kLanes];
    std::fill(lanes, lanes + kLanes, -std::numeric_limits<float>::infinity());
    std::size_t i = 0;
    for (; i + kLanes <= n; i += kLanes)
        for (std::size_t l = 0; l < kLanes; ++l) lanes[l] = std::max(lanes[l], x[i + l]);
    for (std::size_t l = 0; l < kLanes; ++l)
        if (i + l < n) lanes[l] = std::max(lanes[l], x[i + l]);
    return *std::max_element(lanes, lanes + kLanes);
}

}  // namespace tfm
