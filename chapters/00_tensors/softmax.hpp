// softmax.hpp — a numerically stable softmax over the last axis, and its backward.
//
//     softmax(x)_i = exp(x_i) / Σ_j exp(x_j)
//
// turns a row of scores into a probability distribution. Computed as written it
// overflows: exp(89) is already infinite in float32. Since softmax(x) = softmax(x − c)
// for any constant c, we subtract the row's maximum first; then every exponent is ≤ 0,
// the largest term is exactly 1, and the sum is between 1 and the row length.
//
// Backward: with y = softmax(x) and upstream dy, the Jacobian is
// ∂y_i/∂x_j = y_i(δ_ij − y_j), so
//
//     dx_i = Σ_j dy_j · y_j(δ_ij − y_i) = y_i · (dy_i − Σ_j dy_j·y_j)
//
// which needs only y (kept from forward) and one dot product per row — never the
// L×L Jacobian itself.
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "shapes.hpp"

namespace tfm {

/// y = softmax(x) for one row of `cols` values; `y` may alias `x`.
void softmax_row(const float* x, float* y, std::size_t cols);

/// dx = y ⊙ (dy − Σ(dy ⊙ y)) for one row; `dx` may alias `dy`.
void softmax_backward_row(const float* y, const float* dy, float* dx, std::size_t cols);

/// softmax over each contiguous row of `cols` values: y = softmax(x), row by row.
void softmax_rows(const float* x, float* y, std::size_t rows, std::size_t cols);

/// dx = y ⊙ (dy − Σ(dy ⊙ y)) row by row; `dx` may alias `dy`.
void softmax_backward_rows(const float* y, const float* dy, float* dx, std::size_t rows,
                           std::size_t cols);

/// Softmax over the last axis of a tensor of any rank.
template <std::size_t N>
Tensor<N> softmax(const Tensor<N>& x) {
    Tensor<N> y(x.shape());
    const std::size_t cols = x.shape()[N - 1];
    if (cols > 0) softmax_rows(x.data(), y.data(), x.size() / cols, cols);
    return y;
}

/// The input gradient of softmax, from its output `y` and the upstream gradient `dy`.
template <std::size_t N>
Tensor<N> softmax_backward(const Tensor<N>& y, const Tensor<N>& dy) {
    if (y.shape() != dy.shape()) {
        throw ShapeError("softmax_backward: dy has shape " + shape_to_string(dy.shape()) +
                         ", expected the shape of y " + shape_to_string(y.shape()));
    }
    Tensor<N> dx(y.shape());
    const std::size_t cols = y.shape()[N - 1];
    if (cols > 0) softmax_backward_rows(y.data(), dy.data(), dx.data(), y.size() / cols, cols);
    return dx;
}

}  // namespace tfm
