// layer_norm.cpp — the Annotated Transformer's LayerNorm, forward and backward.
#include "layer_norm.hpp"

#include <cmath>

#include "00_tensors/lanes.hpp"
#include "00_tensors/parallel.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm {

LayerNorm::LayerNorm(std::size_t features, const std::string& prefix, float eps)
    : a_2(prefix + "a_2", {features}),
      b_2(prefix + "b_2", {features}),
      features_(features),
      eps_(eps) {
    if (features < 2)
        throw std::invalid_argument("LayerNorm: needs at least 2 features (unbiased std)");
    a_2.value.fill(1.0f);
}

//! [layer norm forward]
Tensor<3> LayerNorm::forward(const Tensor<3>& x_BLC) {
    check_shape("LayerNorm x_BLC", x_BLC, {kAny, kAny, std::ptrdiff_t(features_)});
    const std::size_t C = features_, rows = x_BLC.size() / C;
    xhat_BLC_.resize(x_BLC.shape());
    inv_d_.resize(rows);
    sigma_.resize(rows);
    Tensor<3> y_BLC = Tensor<3>::from_shape(x_BLC.shape());
    const float* a = a_2.value.data();
    const float* b = b_2.value.data();
    // Rows are independent: the cores share them (parallel.hpp).
    parallel_for(rows, 64, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) {
            const float* x = x_BLC.data() + r * C;
            float* xhat = xhat_BLC_.data() + r * C;
            float* y = y_BLC.data() + r * C;
            // Mean and unbiased variance, accumulated in double: a row of 512 floats loses
            // digits otherwise, and this is the statistic everything else is divided by.
            // Each sum in vector lanes (chapter 00's lanes.hpp).
            const double mean =
                sum_in_lanes(C, [&](std::size_t c) { return double(x[c]); }) / double(C);
            const double sq = sum_in_lanes(C, [&](std::size_t c) {
                const double d = x[c] - mean;
                return d * d;
            });
            const double sigma = std::sqrt(sq / double(C - 1));  // unbiased, like torch.std
            const float inv_d = static_cast<float>(1.0 / (sigma + eps_));  // ε added to σ
            sigma_[r] = static_cast<float>(sigma);
            inv_d_[r] = inv_d;
            for (std::size_t c = 0; c < C; ++c) {
                xhat[c] = static_cast<float>(x[c] - mean) * inv_d;
                y[c] = a[c] * xhat[c] + b[c];
            }
        }
    });
    return y_BLC;
}
//! [layer norm forward]

//! [layer norm backward]
Tensor<3> LayerNorm::backward(const Tensor<3>& dy_BLC) {
    check_shape("LayerNorm backward dy_BLC", dy_BLC,
                {std::ptrdiff_t(xhat_BLC_.shape()[0]), std::ptrdiff_t(xhat_BLC_.shape()[1]),
                 std::ptrdiff_t(features_)});
    const std::size_t C = features_, rows = dy_BLC.size() / C;
    Tensor<3> dx_BLC = Tensor<3>::from_shape(dy_BLC.shape());
    const float* a = a_2.value.data();
    // dx row by row (rows are independent, so the cores share them)...
    parallel_for(rows, 64, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) {
            const float* dy = dy_BLC.data() + r * C;
            const float* xhat = xhat_BLC_.data() + r * C;
            float* dx = dx_BLC.data() + r * C;
            // g = a ⊙ dy; the two sums the formula needs. x − μ = x̂·d, so
            // Σ g_j (x_j − μ) = d · Σ g_j x̂_j.
            const double g_mean =
                sum_in_lanes(C, [&](std::size_t c) { return double(a[c]) * dy[c]; }) / double(C);
            const double g_dot_xhat =
                sum_in_lanes(C, [&](std::size_t c) { return double(a[c]) * dy[c] * xhat[c]; });
            const double inv_d = inv_d_[r];
            // dx_i = (g_i − mean g)/d − x̂_i·d · d·Σ g x̂ / ((C−1)·σ·d²)
            //      = (…)/d − x̂_i·Σ g x̂/((C−1)·σ)
            const double coeff = sigma_[r] > 0.0f ? g_dot_xhat / (double(C - 1) * sigma_[r]) : 0.0;
            for (std::size_t c = 0; c < C; ++c) {
                dx[c] =
                    static_cast<float>((double(a[c]) * dy[c] - g_mean) * inv_d - xhat[c] * coeff);
            }
        }
    });
    // ...and the gain's and bias's gradients, sums over the rows.
    add_gain_gradient(dy_BLC, xhat_BLC_, a_2, &b_2);
    return dx_BLC;
}
//! [layer norm backward]

//! [gain gradient]
void add_gain_gradient(const Tensor<3>& dy_BLC, const Tensor<3>& xhat_BLC, Parameter& gain,
                       Parameter* bias) {
    const std::size_t C = gain.value.size(), rows = dy_BLC.size() / C;
    float* da = gain.grad.data();
    float* db = bias != nullptr ? bias->grad.data() : nullptr;
    // Sums over the rows: split by channel instead, a block of channels per core, so no
    // two cores add into the same element and each channel is summed in row order (the
    // result does not depend on the number of cores).
    parallel_for(C, 16, [&](std::size_t c0, std::size_t c1) {
        for (std::size_t r = 0; r < rows; ++r) {
            const float* dy = dy_BLC.data() + r * C;
            const float* xhat = xhat_BLC.data() + r * C;
            for (std::size_t c = c0; c < c1; ++c) {
                da[c] += dy[c] * xhat[c];
                if (db != nullptr) db[c] += dy[c];
            }
        }
    });
}
//! [gain gradient]

}  // namespace tfm
