// double_checks.hpp — references in double precision shared by the exercise tests: a
// finite-difference check of one tensor against a loss computed in double, and the
// softmax-weighted average of value rows that every attention variant ends with.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <vector>

#include <catch2/catch.hpp>
#include <xtensor/xtensor.hpp>

#include "00_tensors/gradcheck.hpp"

namespace tfm::testing {

/// CHECKs `analytic` (float or double) against central differences of `loss`, perturbing
/// the double tensor `x` that `loss` reads. In double a small step is safe.
template <class X, class G>
void check_in_double(const char* name, X& x, const G& analytic, const std::function<double()>& loss,
                     double step = 1e-4, double tolerance = 1e-3) {
    GradCheckOptions options;
    options.step = step;
    options.tolerance = tolerance;
    const auto r = check_gradient(name, x, xt::eval(xt::cast<double>(analytic)), loss, options);
    INFO(r.report);
    CHECK(r.passed);
}

/// out[row, :] += softmax(scores) · v: the weighted average of v's rows, with weights
/// from the scores (masked ones already −1e9).
inline void add_softmax_average(std::vector<double> scores, const xt::xtensor<double, 2>& v,
                                xt::xtensor<double, 2>& out, std::size_t row) {
    const double top = *std::max_element(scores.begin(), scores.end());
    double sum = 0.0;
    for (double& s : scores) sum += (s = std::exp(s - top));
    for (std::size_t m = 0; m < scores.size(); ++m)
        for (std::size_t c = 0; c < v.shape()[1]; ++c) out(row, c) += scores[m] / sum * v(m, c);
}

}  // namespace tfm::testing
