// gradcheck.hpp — finite-difference gradient checking.
//
// A hand-written backward pass is easy to get subtly wrong: a missing transpose, a term
// forgotten, a gradient overwritten instead of accumulated. The check is to compare it,
// element by element, with the derivative measured directly:
//
//     ∂L/∂x_i  ≈  (L(x + h·e_i) − L(x − h·e_i)) / 2h        (central difference)
//
// whose error is O(h²) rather than the O(h) of a one-sided difference. To check a
// function y = f(x) with a vector output, we reduce it to a scalar with a fixed random
// weighting, L = Σ_j g_j·y_j, so that ∂L/∂y = g is the upstream gradient we feed to
// backward().
//
// Precision: the modules compute in float32, whose rounding (≈6e-8 relative) puts noise
// of order eps·|L|/h into the difference, so h cannot be tiny; but a large h makes the
// O(h²) error large where the function bends sharply (a saturated softmax). We escape
// both with Richardson extrapolation: with D(h) the central difference, D(h) = g + c·h²
// + O(h⁴), so (4·D(h) − D(2h)) / 3 = g + O(h⁴). That allows a comfortable h (3e-2 by
// default, for inputs of order one) at 1.5 times the noise of D(h) alone. L itself is summed in
// double, and each difference divides by the step float32 actually took, (x+h) − (x−h) as rounded,
// not by the nominal 2h. The comparison is a relative error with a floor,
//
//     |analytic − numeric| / max(|analytic|, |numeric|, floor),
//
// so tiny gradients are judged by an absolute error instead of dividing noise by noise.
// The checker reports the worst element, which is where a bug shows first.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <sstream>
#include <string>
#include <type_traits>

#include "shapes.hpp"

namespace tfm {

struct GradCheckOptions {
    double step = 3e-2;       ///< h, in the units of x
    bool richardson = true;   ///< combine steps h and 2h to cancel the h² error
    double tolerance = 1e-2;  ///< largest accepted relative error
    double floor = 1e-3;      ///< below this magnitude, errors count as absolute
    /// Optional: called after every evaluation of the loss; returning false says the
    /// perturbation crossed a point where the function is not smooth (a ReLU kink), and
    /// that element is skipped — its finite difference would not be a derivative.
    std::function<bool()> smooth;
};

struct GradCheckResult {
    bool passed = true;
    double max_error = 0.0;       ///< the worst relative error
    std::size_t worst_index = 0;  ///< flat (row-major) index of the worst element
    std::size_t skipped = 0;      ///< elements skipped because a step crossed a kink
    double analytic = 0.0;        ///< backward's value at the worst element
    double numeric = 0.0;         ///< the finite difference at the worst element
    std::string report;           ///< one line for the test log
};

/// Σ a_i·b_i accumulated in double: turns a vector output into the scalar L = Σ g·y.
template <class TensorA, class TensorB>
double dot_double(const TensorA& a, const TensorB& b) {
    check_size("dot_double sizes", a.size(), b.size());
    double sum = 0.0;
    auto ia = a.begin();
    for (auto ib = b.begin(); ib != b.end(); ++ia, ++ib) sum += double(*ia) * double(*ib);
    return sum;
}

/// Compares `analytic` (what backward computed for ∂L/∂x) with central differences of
/// `loss`, perturbing `x` in place one element at a time (and restoring it).
/// `loss` must recompute L from the current contents of `x`.
template <class TensorX, class TensorG>
GradCheckResult check_gradient(const std::string& name, TensorX& x, const TensorG& analytic,
                               const std::function<double()>& loss,
                               const GradCheckOptions& options = {}) {
    if (x.shape().size() != analytic.shape().size() ||
        !std::equal(x.shape().begin(), x.shape().end(), analytic.shape().begin())) {
        throw ShapeError("check_gradient " + name + ": gradient has shape " +
                         shape_to_string(analytic.shape()) + ", the tensor has shape " +
                         shape_to_string(x.shape()));
    }
    GradCheckResult result;
    result.max_error = -1.0;
    auto* data = x.data();
    const auto* grad = analytic.data();
    for (std::size_t i = 0; i < x.size(); ++i) {
        using T = std::decay_t<decltype(data[i])>;
        const T original = data[i];
        // The central difference with step h, over the step float32 actually took.
        bool smooth = true;
        auto evaluate = [&]() {
            const double l = loss();
            if (options.smooth && !options.smooth()) smooth = false;
            return l;
        };
        auto central = [&](double h) {
            data[i] = static_cast<T>(original + h);
            const double x_plus = data[i];
            const double loss_plus = evaluate();
            data[i] = static_cast<T>(original - h);
            const double x_minus = data[i];
            const double loss_minus = evaluate();
            data[i] = original;
            return (loss_plus - loss_minus) / (x_plus - x_minus);
        };
        const double numeric =
            options.richardson ? (4.0 * central(options.step) - central(2.0 * options.step)) / 3.0
                               : central(options.step);
        if (!smooth) {
            ++result.skipped;
            continue;
        }
        const double a = grad[i];
        const double scale = std::max({std::abs(a), std::abs(numeric), options.floor});
        const double error =
            std::isfinite(a) && std::isfinite(numeric) ? std::abs(a - numeric) / scale : HUGE_VAL;
        if (error > result.max_error) {
            result.max_error = error;
            result.worst_index = i;
            result.analytic = a;
            result.numeric = numeric;
        }
    }
    if (result.max_error < 0.0) result.max_error = 0.0;  // empty, or every element skipped
    result.passed = result.max_error <= options.tolerance;
    std::ostringstream line;
    line << "gradcheck " << name << " " << shape_to_string(x.shape()) << ": "
         << (result.passed ? "ok" : "FAILED") << ", worst relative error " << result.max_error
         << " at element " << result.worst_index << " (analytic " << result.analytic << ", numeric "
         << result.numeric << "; tolerance " << options.tolerance << ")";
    if (result.skipped > 0) line << "; " << result.skipped << " elements skipped at kinks";
    result.report = line.str();
    return result;
}

}  // namespace tfm
