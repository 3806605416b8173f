// Solution to exercise 0.1 — a numerically stable softmax of one row.
#include "00_tensors/exercises/exercises.hpp"

#include <xtensor/xmath.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

xt::xtensor<float, 1> softmax_row(const xt::xtensor<float, 1>& x_V) {
    if (x_V.size() == 0) throw ShapeError("softmax_row: x_V is empty");
    // softmax(x) = softmax(x − m) for any m; with m = max(x) every exponent is ≤ 0.
    const float m = xt::amax(x_V)();
    xt::xtensor<float, 1> y_V = xt::exp(x_V - m);
    const float total = xt::sum(y_V)();  // a plain float: never a lazy reducer
    y_V /= total;
    return y_V;
}

}  // namespace tfm::exercises
