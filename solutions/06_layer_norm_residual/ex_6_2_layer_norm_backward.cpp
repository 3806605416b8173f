// Solution to exercise 6.2 — LayerNorm's backward for its input.
#include "06_layer_norm_residual/exercises/exercises.hpp"

#include <cmath>
#include <vector>

namespace tfm::exercises {

xt::xtensor<float, 1> layer_norm_row_backward(const xt::xtensor<float, 1>& x_C,
                                              const xt::xtensor<float, 1>& a_C,
                                              const xt::xtensor<float, 1>& dy_C, float eps) {
    const std::size_t C = x_C.size();
    double mean = 0, sq = 0;
    for (float v : x_C) mean += v;
    mean /= double(C);
    for (float v : x_C) sq += (v - mean) * (v - mean);
    const double sigma = std::sqrt(sq / double(C - 1));
    const double d = sigma + eps;
    std::vector<double> xhat(C), g(C);
    double g_mean = 0, g_dot_xhat = 0;
    for (std::size_t i = 0; i < C; ++i) {
        xhat[i] = (x_C(i) - mean) / d;
        g[i] = double(a_C(i)) * dy_C(i);
        g_mean += g[i] / double(C);
        g_dot_xhat += g[i] * xhat[i];
    }
    // The path through σ. A constant row has σ = 0 (and x̂ = 0): its output is b whatever
    // x's common value, and that path contributes 0 rather than 0/0, as in the chapter's
    // LayerNorm.
    const double through_sigma = sigma > 0.0 ? g_dot_xhat / (double(C - 1) * sigma) : 0.0;
    xt::xtensor<float, 1> dx_C = xt::zeros<float>({C});
    for (std::size_t i = 0; i < C; ++i) {
        dx_C(i) = static_cast<float>((g[i] - g_mean) / d - xhat[i] * through_sigma);
    }
    return dx_C;
}

}  // namespace tfm::exercises
