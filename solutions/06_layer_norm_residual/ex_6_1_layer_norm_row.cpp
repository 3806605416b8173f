// Solution to exercise 6.1 — the Annotated Transformer's LayerNorm of one row.
#include "06_layer_norm_residual/exercises/exercises.hpp"

#include <cmath>

namespace tfm::exercises {

xt::xtensor<float, 1> layer_norm_row(const xt::xtensor<float, 1>& x_C,
                                     const xt::xtensor<float, 1>& a_C,
                                     const xt::xtensor<float, 1>& b_C, float eps) {
    const std::size_t C = x_C.size();
    double mean = 0, sq = 0;
    for (float v : x_C) mean += v;
    mean /= double(C);
    for (float v : x_C) sq += (v - mean) * (v - mean);
    const double sigma = std::sqrt(sq / double(C - 1));  // unbiased
    xt::xtensor<float, 1> y_C = xt::zeros<float>({C});
    for (std::size_t i = 0; i < C; ++i) {
        y_C(i) = static_cast<float>(a_C(i) * (x_C(i) - mean) / (sigma + eps) + b_C(i));
    }
    return y_C;
}

}  // namespace tfm::exercises
