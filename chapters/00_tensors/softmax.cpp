// softmax.cpp — softmax row by row.
//
// A loop over rows with xtensor's SIMD `exp` on each row is several times faster than
// whole-tensor reducers, and it sidesteps an xtensor 0.24 bug: a lazy reduction with
// keep_dims used inside another expression gives wrong values for every row after the
// first. Each row's exp runs on a 1-D adaptor over the buffer; its maximum and its sum
// are plain loops in vector lanes (lanes.hpp), since xtensor's reducers on such an
// adaptor add one element at a time.
#include "softmax.hpp"

#include "lanes.hpp"
#include "parallel.hpp"

#include <array>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

namespace tfm {

namespace {
auto row_view(const float* p, std::size_t cols) {
    return xt::adapt(p, cols, xt::no_ownership(), std::array<std::size_t, 1>{cols});
}
auto row_view(float* p, std::size_t cols) {
    return xt::adapt(p, cols, xt::no_ownership(), std::array<std::size_t, 1>{cols});
}
}  // namespace

//! [softmax forward]
void softmax_row(const float* x, float* y, std::size_t cols) {
    // The reductions in vector lanes (lanes.hpp); exp on xsimd, several values at a time.
    const float row_max = max_in_lanes(cols, x);  // shift so the largest exponent is 0
    xt::noalias(row_view(y, cols)) = xt::exp(row_view(x, cols) - row_max);
    // total ≥ 1: the max term contributes exp(0).
    const float total = float(sum_in_lanes(cols, [&](std::size_t j) { return double(y[j]); }));
    const float inv_total = 1.0f / total;
    for (std::size_t j = 0; j < cols; ++j) y[j] *= inv_total;
}

void softmax_rows(const float* x, float* y, std::size_t rows, std::size_t cols) {
    // Rows are independent: they are shared out between the cores (parallel.hpp).
    parallel_for(rows, 4096 / (cols + 1) + 1, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) softmax_row(x + r * cols, y + r * cols, cols);
    });
}
//! [softmax forward]

//! [softmax backward]
void softmax_backward_row(const float* y, const float* dy, float* dx, std::size_t cols) {
    // Σ_j dy_j·y_j, in vector lanes (lanes.hpp).
    const float dot =
        float(sum_in_lanes(cols, [&](std::size_t j) { return double(dy[j]) * y[j]; }));
    for (std::size_t j = 0; j < cols; ++j) dx[j] = y[j] * (dy[j] - dot);
}

void softmax_backward_rows(const float* y, const float* dy, float* dx, std::size_t rows,
                           std::size_t cols) {
    parallel_for(rows, 4096 / (cols + 1) + 1, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r)
            softmax_backward_row(y + r * cols, dy + r * cols, dx + r * cols, cols);
    });
}
//! [softmax backward]

}  // namespace tfm
