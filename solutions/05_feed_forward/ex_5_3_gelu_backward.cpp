// Solution to exercise 5.3 — GELU's backward.
//
// GELU'(x) = Φ(x) + x·φ(x), φ(x) = exp(−x²/2)/√(2π). It is 1/2 at 0, tends to 1 and 0 at
// ±∞, and is negative below about −0.75: GELU dips to a minimum of about −0.17 there.
#include "05_feed_forward/exercises/exercises.hpp"

#include <cmath>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

Tensor<2> gelu_backward(const Tensor<2>& x, const Tensor<2>& dy) {
    if (x.shape() != dy.shape()) {
        throw ShapeError("gelu_backward: dy has shape " + shape_to_string(dy.shape()) +
                         ", x has shape " + shape_to_string(x.shape()));
    }
    Tensor<2> dx = Tensor<2>::from_shape(x.shape());
    const double inv_sqrt_2pi = 0.3989422804014327;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double v = x.data()[i];
        const double cdf = 0.5 * (1.0 + std::erf(v / std::sqrt(2.0)));
        const double pdf = inv_sqrt_2pi * std::exp(-0.5 * v * v);
        dx.data()[i] = static_cast<float>(dy.data()[i] * (cdf + v * pdf));
    }
    return dx;
}

}  // namespace tfm::exercises
