// Solution to exercise 6.1 — RMSNorm's backward.
//
// With x̂ = x/r and a = g ⊙ dy (the gradient reaching x̂): ∂r/∂x_i = x_i/(C·r), so
//     dx_i = a_i/r − x_i/(C·r³) · Σ_j a_j x_j = (a_i − x̂_i · mean(a ⊙ x̂)) / r,
//     dg   = dy ⊙ x̂.
// LayerNorm's "remove the mean of the gradient" term is gone (nothing was centred); the
// "remove the component along x̂" term stays. So x · dx = r·Σa x̂ (1 − mean(x̂²)), which
// is eps/(mean(x²) + eps) times r·Σ a x̂: nearly 0, the trace of near scale invariance.
#include "06_layer_norm_residual/exercises/exercises.hpp"

#include <cmath>
#include <vector>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

RMSNormGrads rms_norm_row_backward(const Tensor<1>& x_C, const Tensor<1>& g_C,
                                   const Tensor<1>& dy_C, float eps) {
    const std::size_t C = x_C.size();
    check_size("rms_norm_row_backward: size of g_C", C, g_C.size());
    check_size("rms_norm_row_backward: size of dy_C", C, dy_C.size());
    double mean_sq = 0.0;
    for (float v : x_C) mean_sq += double(v) * v;
    mean_sq /= double(C);
    const double r = std::sqrt(mean_sq + eps);
    std::vector<double> xhat(C), a(C);
    double mean_a_xhat = 0.0;
    for (std::size_t i = 0; i < C; ++i) {
        xhat[i] = x_C(i) / r;
        a[i] = double(g_C(i)) * dy_C(i);
        mean_a_xhat += a[i] * xhat[i] / double(C);
    }
    RMSNormGrads grads;
    grads.dx_C = Tensor<1>::from_shape({C});
    grads.dg_C = Tensor<1>::from_shape({C});
    for (std::size_t i = 0; i < C; ++i) {
        grads.dx_C(i) = static_cast<float>((a[i] - xhat[i] * mean_a_xhat) / r);
        grads.dg_C(i) = static_cast<float>(dy_C(i) * xhat[i]);
    }
    return grads;
}

}  // namespace tfm::exercises
