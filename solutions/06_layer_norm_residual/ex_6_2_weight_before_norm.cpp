// Solution to exercise 6.2 — a weight in front of a norm.
//
// LN(x·(αW)ᵀ) = LN(x·Wᵀ) (up to eps): the loss does not depend on ‖W‖. Differentiating
// L(αW) = L(W) in W gives ∂L/∂W at αW = (1/α)·∂L/∂W at W, and differentiating in α at 1
// gives ⟨W, ∂L/∂W⟩ = 0 (Euler's theorem for a function of degree 0). So the gradient is
// orthogonal to W, a step W − η·dW can only lengthen W (‖W‖² grows by η²‖dW‖²), and a
// longer W gets smaller gradients and turns more slowly: its effective learning rate
// falls as 1/‖W‖².
#include "06_layer_norm_residual/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/linear.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"

namespace tfm::exercises {

ScaledWeight scale_weight_before_norm(double alpha, std::size_t C, Rng& rng) {
    if (!(alpha > 0.0)) throw std::invalid_argument("scale_weight_before_norm: alpha must be > 0");
    Linear linear(C, C, rng, "", /*with_bias=*/false);
    xavier_uniform(linear.weight.value, rng);
    LayerNorm norm(C);
    Tensor<3> x_BLC = Tensor<3>::from_shape({4, 8, C}), dy_BLC = x_BLC;
    fill_normal(x_BLC, 0.0f, 1.0f, rng);
    fill_normal(dy_BLC, 0.0f, 1.0f, rng);

    // One forward and backward; returns the output and leaves ∂L/∂W in weight.grad.
    auto run = [&] {
        linear.weight.zero_grad();
        const Tensor<3> y_BLC = norm.forward(linear.forward(x_BLC));
        linear.backward(norm.backward(dy_BLC));
        return y_BLC;
    };
    const Tensor<3> y = run();
    const xt::xarray<float> W = linear.weight.value, dW = linear.weight.grad;
    linear.weight.value = W * float(alpha);
    const Tensor<3> y_scaled = run();
    const xt::xarray<float> dW_scaled = linear.weight.grad;
    linear.weight.value = W;

    ScaledWeight result;
    for (std::size_t i = 0; i < y.size(); ++i) {
        result.output_change =
            std::max(result.output_change, double(std::abs(y_scaled.data()[i] - y.data()[i])));
    }
    result.gradient_ratio = std::sqrt(dot_double(dW_scaled, dW_scaled) / dot_double(dW, dW));
    result.gradient_cosine = dot_double(W, dW) / std::sqrt(dot_double(W, W) * dot_double(dW, dW));
    return result;
}

}  // namespace tfm::exercises
