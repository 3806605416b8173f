// Solution to exercise 14.1 — RoPE with learned angles: the gradient of the angles.
//
// Pair i at position p is y = R(pθ)·x. The derivative of a rotation by its angle is the
// rotation by a quarter turn more: dR(φ)/dφ = R(φ + π/2) = J·R(φ), J = [[0, −1], [1, 0]],
// so ∂y/∂θ = p·J·y, that is (−p·y₁, p·y₀). Hence
//     ∂L/∂θ_i = Σ_{b, h, l} p · (dy₁·y₀ − dy₀·y₁),   p = first_position + l,
// the cross product of the rotated pair with its gradient, weighted by the position: a
// gradient along y (changing its length) cannot move an angle; only the part across it
// does, and a far position moves its angle p times as much as position 1.
#include "14_modern_decoder/exercises/exercises.hpp"

#include <cmath>
#include <string>

namespace tfm::exercises {

std::vector<double> rope_angle_gradient(const Tensor<4>& x_BHLK, const Tensor<4>& dy_BHLK,
                                        const std::vector<double>& theta,
                                        std::size_t first_position) {
    const std::size_t K = x_BHLK.shape()[3], L = x_BHLK.shape()[2];
    check_shape("rope_angle_gradient dy_BHLK", dy_BHLK,
                {std::ptrdiff_t(x_BHLK.shape()[0]), std::ptrdiff_t(x_BHLK.shape()[1]),
                 std::ptrdiff_t(L), std::ptrdiff_t(K)});
    if (K % 2 != 0 || theta.size() != K / 2) {
        throw ShapeError("rope_angle_gradient: heads of " + std::to_string(K) + " channels need " +
                         std::to_string(K / 2) + " angles, got " + std::to_string(theta.size()));
    }
    std::vector<double> dtheta(K / 2, 0.0);
    const std::size_t rows = x_BHLK.size() / K;  // every (b, h, l), l fastest
    for (std::size_t r = 0; r < rows; ++r) {
        const double p = double(first_position + r % L);
        const float* x = x_BHLK.data() + r * K;
        const float* dy = dy_BHLK.data() + r * K;
        for (std::size_t i = 0; i < K / 2; ++i) {
            const double c = std::cos(p * theta[i]), s = std::sin(p * theta[i]);
            const double y0 = x[2 * i] * c - x[2 * i + 1] * s;
            const double y1 = x[2 * i] * s + x[2 * i + 1] * c;
            dtheta[i] += p * (double(dy[2 * i + 1]) * y0 - double(dy[2 * i]) * y1);
        }
    }
    return dtheta;
}

}  // namespace tfm::exercises
