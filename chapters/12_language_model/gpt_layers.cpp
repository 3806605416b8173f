// gpt_layers.cpp — GELU, the standard LayerNorm, AdamW and the cosine schedule.
#include "gpt_layers.hpp"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "00_tensors/lanes.hpp"
#include "00_tensors/parallel.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm {

//! [gelu]
namespace {
// A range [first, last) of a tensor's elements as a 1-D xtensor expression, so that erf and
// exp below run on xsimd's vectorised versions (several elements per instruction) instead
// of the C library's one-at-a-time std::erf: GELU is applied to every hidden unit of every
// feed-forward layer, and with a scalar erf it cost as much as the products around it.
auto span(const Tensor<3>& t, std::size_t first, std::size_t last) {
    return xt::adapt(t.data() + first, last - first, xt::no_ownership(),
                     std::array<std::size_t, 1>{last - first});
}
auto span(Tensor<3>& t, std::size_t first, std::size_t last) {
    return xt::adapt(t.data() + first, last - first, xt::no_ownership(),
                     std::array<std::size_t, 1>{last - first});
}
}  // namespace

Tensor<3> gelu(const Tensor<3>& x) {
    Tensor<3> y = Tensor<3>::from_shape(x.shape());
    parallel_for(x.size(), 1 << 13, [&](std::size_t first, std::size_t last) {
        const auto v = span(x, first, last);
        auto out = span(y, first, last);
        xt::noalias(out) = 0.5f * v * (1.0f + xt::erf(v * float(M_SQRT1_2)));  // x · Φ(x)
    });
    return y;
}

Tensor<3> gelu_backward(const Tensor<3>& x, const Tensor<3>& dy) {
    if (x.shape() != dy.shape()) {
        throw ShapeError("gelu_backward: dy has shape " + shape_to_string(dy.shape()) + ", x has " +
                         shape_to_string(x.shape()));
    }
    Tensor<3> dx = Tensor<3>::from_shape(x.shape());
    const float inv_sqrt_2pi = 0.3989422804014327f;
    parallel_for(x.size(), 1 << 13, [&](std::size_t first, std::size_t last) {
        const auto v = span(x, first, last);
        const auto g = span(dy, first, last);
        auto out = span(dx, first, last);
        // dy · (Φ(x) + x·φ(x))
        xt::noalias(out) = g * (0.5f * (1.0f + xt::erf(v * float(M_SQRT1_2))) +
                                v * (inv_sqrt_2pi * xt::exp(-0.5f * v * v)));
    });
    return dx;
}
//! [gelu]

StandardLayerNorm::StandardLayerNorm(std::size_t features, const std::string& prefix,
                                     bool with_bias, float eps)
    : weight(prefix + "weight", {features}),
      bias(prefix + "bias", {with_bias ? features : 0}),
      features_(features),
      has_bias_(with_bias),
      eps_(eps) {
    weight.value.fill(1.0f);
}

ParameterList StandardLayerNorm::parameters() {
    if (has_bias_) return {&weight, &bias};
    return {&weight};
}

//! [standard layer norm]
Tensor<3> StandardLayerNorm::forward(const Tensor<3>& x_BLC) {
    check_shape("StandardLayerNorm x_BLC", x_BLC, {kAny, kAny, std::ptrdiff_t(features_)});
    const std::size_t C = features_, rows = x_BLC.size() / C;
    xhat_BLC_.resize(x_BLC.shape());
    inv_std_.resize(rows);
    Tensor<3> y_BLC = Tensor<3>::from_shape(x_BLC.shape());
    const float* w = weight.value.data();
    const float* b = has_bias_ ? bias.value.data() : nullptr;
    parallel_for(rows, 64, [&](std::size_t first, std::size_t last) {  // rows are independent
        for (std::size_t r = first; r < last; ++r) {
            const float* x = x_BLC.data() + r * C;
            float* xhat = xhat_BLC_.data() + r * C;
            float* y = y_BLC.data() + r * C;
            // Mean and variance in double, in vector lanes (chapter 00's lanes.hpp).
            const double mean =
                sum_in_lanes(C, [&](std::size_t c) { return double(x[c]); }) / double(C);
            const double var = sum_in_lanes(C,
                                            [&](std::size_t c) {
                                                const double d = x[c] - mean;
                                                return d * d;
                                            }) /
                               double(C);  // biased, as nn.LayerNorm
            const float inv_std = float(1.0 / std::sqrt(var + eps_));
            inv_std_[r] = inv_std;
            for (std::size_t c = 0; c < C; ++c) xhat[c] = float(x[c] - mean) * inv_std;
            if (b != nullptr)
                for (std::size_t c = 0; c < C; ++c) y[c] = w[c] * xhat[c] + b[c];
            else
                for (std::size_t c = 0; c < C; ++c) y[c] = w[c] * xhat[c];
        }
    });
    return y_BLC;
}

Tensor<3> StandardLayerNorm::backward(const Tensor<3>& dy_BLC) {
    check_shape("StandardLayerNorm backward dy_BLC", dy_BLC,
                {std::ptrdiff_t(xhat_BLC_.shape()[0]), std::ptrdiff_t(xhat_BLC_.shape()[1]),
                 std::ptrdiff_t(features_)});
    const std::size_t C = features_, rows = dy_BLC.size() / C;
    Tensor<3> dx_BLC = Tensor<3>::from_shape(dy_BLC.shape());
    const float* w = weight.value.data();
    // dx row by row: each row's dx needs only that row, so the rows run on every core.
    parallel_for(rows, 64, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) {
            const float* dy = dy_BLC.data() + r * C;
            const float* xhat = xhat_BLC_.data() + r * C;
            float* dx = dx_BLC.data() + r * C;
            // g = w ⊙ dy; dx = (g − mean(g) − x̂ · mean(g ⊙ x̂)) / √(σ² + ε).
            const double g_mean =
                sum_in_lanes(C, [&](std::size_t c) { return double(w[c]) * dy[c]; }) / double(C);
            const double gx_mean =
                sum_in_lanes(C, [&](std::size_t c) { return double(w[c]) * dy[c] * xhat[c]; }) /
                double(C);
            for (std::size_t c = 0; c < C; ++c) {
                const double g = double(w[c]) * dy[c];
                dx[c] = float((g - g_mean - xhat[c] * gx_mean) * inv_std_[r]);
            }
        }
    });
    add_gain_gradient(dy_BLC, xhat_BLC_, weight, has_bias_ ? &bias : nullptr);
    return dx_BLC;
}
//! [standard layer norm]

AdamW::AdamW(ParameterList params, std::vector<bool> decay, double weight_decay, double beta1,
             double beta2, double eps)
    : Adam(std::move(params), beta1, beta2, eps),
      decay_(std::move(decay)),
      weight_decay_(weight_decay) {
    if (decay_.size() != parameters().size()) {
        throw std::invalid_argument("AdamW: " + std::to_string(decay_.size()) +
                                    " decay flags for " + std::to_string(parameters().size()) +
                                    " parameters");
    }
    if (!(weight_decay >= 0.0))
        throw std::invalid_argument("AdamW: weight decay must be at least 0");
}

//! [adamw]
float AdamW::decay_factor(std::size_t i, double lr) const {
    // Decoupled weight decay: Adam's step (chapter 08) first shrinks each decayed weight by
    // this factor, then takes its usual step, one element at a time.
    return decay_[i] ? float(1.0 - lr * weight_decay_) : 1.0f;
}
//! [adamw]

//! [cosine]
double cosine_rate(std::size_t it, double max_lr, double min_lr, std::size_t warmup,
                   std::size_t decay_iters) {
    if (it < warmup) return max_lr * double(it + 1) / double(warmup + 1);  // linear warm-up
    // From D on, η_min. nanoGPT tests it > D; at it = D the cosine gives η_min too, and
    // testing it ≥ D also covers D = w, where the fraction below would be 0/0 (NaN).
    if (it >= decay_iters) return min_lr;
    const double ratio = double(it - warmup) / double(decay_iters - warmup);
    const double coeff = 0.5 * (1.0 + std::cos(M_PI * ratio));  // from 1 down to 0
    return min_lr + coeff * (max_lr - min_lr);
}
//! [cosine]

}  // namespace tfm
