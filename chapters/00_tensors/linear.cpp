// linear.cpp — Linear's forward and backward on sgemm.
#include "linear.hpp"

#include <algorithm>

#include "matmul.hpp"
#include "parallel.hpp"

namespace tfm {

Linear::Linear(std::size_t in_features, std::size_t out_features, Rng& rng,
               const std::string& prefix, bool with_bias)
    : weight(prefix + "weight", {out_features, in_features}),
      bias(prefix + "bias", {with_bias ? out_features : 0}),
      in_features_(in_features),
      out_features_(out_features),
      has_bias_(with_bias) {
    linear_default_uniform(weight.value, in_features, rng);
    if (with_bias) linear_default_uniform(bias.value, in_features, rng);
}

void Linear::share_weight(Parameter& shared) {
    check_shape("shared weight " + shared.name, shared.value,
                {std::ptrdiff_t(out_features_), std::ptrdiff_t(in_features_)});
    shared_weight_ = &shared;
    weight.value = xt::xarray<float>::from_shape({0});
    weight.grad = xt::xarray<float>::from_shape({0});
}

//! [linear forward]
void Linear::forward_rows(const float* x_RI, std::size_t rows, float* y_RO) {
    // Keep x for the weight gradient, copied on every core. resize() reuses the buffer's
    // capacity, so a training loop with fixed batch shapes does not allocate here after
    // the first step.
    x_cache_RI_.resize(rows * in_features_);
    copy_into(x_cache_RI_.data(), x_RI, rows * in_features_);
    cached_rows_ = rows;
    project_rows(x_RI, rows, y_RO);
}

void Linear::project_rows(const float* x_RI, std::size_t rows, float* y_RO) {
    // Start every row at b, then y += x·Wᵀ in one sgemm (beta = 1): the transpose of
    // the [O, I] weight is a flag, not a copy.
    if (has_bias_) {
        const float* b_O = bias.value.data();
        parallel_for(rows, 256, [&](std::size_t first, std::size_t last) {
            for (std::size_t n = first; n < last; ++n)
                std::copy(b_O, b_O + out_features_, y_RO + n * out_features_);
        });
    }
    sgemm(Transpose::No, Transpose::Yes, rows, out_features_, in_features_, 1.0f, x_RI,
          in_features_, W().value.data(), in_features_, has_bias_ ? 1.0f : 0.0f, y_RO,
          out_features_);
}
//! [linear forward]

//! [linear backward]
void Linear::backward_rows(const float* dy_RO, std::size_t rows, float* dx_RI) {
    if (rows != cached_rows_) {
        throw ShapeError("Linear backward: upstream gradient has " + std::to_string(rows) +
                         " rows, the last forward had " + std::to_string(cached_rows_));
    }
    backward_rows_given_input(x_cache_RI_.data(), dy_RO, rows, dx_RI, false);
}

void Linear::backward_rows_given_input(const float* x_RI, const float* dy_RO, std::size_t rows,
                                       float* dx_RI, bool add_to_dx) {
    // ∂L/∂W += dyᵀ·x : [O, R]·[R, I], accumulated with beta = 1.
    sgemm(Transpose::Yes, Transpose::No, out_features_, in_features_, rows, 1.0f, dy_RO,
          out_features_, x_RI, in_features_, 1.0f, W().grad.data(), in_features_);
    // ∂L/∂b += the column sums of dy.
    if (has_bias_) {
        // A block of columns per core; each column summed in row order (parallel.hpp).
        float* db_O = bias.grad.data();
        parallel_for(out_features_, 64, [&](std::size_t o0, std::size_t o1) {
            for (std::size_t n = 0; n < rows; ++n) {
                const float* row = dy_RO + n * out_features_;
                for (std::size_t o = o0; o < o1; ++o) db_O[o] += row[o];
            }
        });
    }
    // ∂L/∂x = dy·W : [R, O]·[O, I] (beta = 1 adds it to what dx holds).
    sgemm(Transpose::No, Transpose::No, rows, in_features_, out_features_, 1.0f, dy_RO,
          out_features_, W().value.data(), in_features_, add_to_dx ? 1.0f : 0.0f, dx_RI,
          in_features_);
}
//! [linear backward]

}  // namespace tfm
