// Solution to exercise 6.3 — the backward of a post-norm residual connection, for one row.
#include "06_layer_norm_residual/exercises/exercises.hpp"

#include "00_tensors/shapes.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"

namespace tfm::exercises {

xt::xtensor<float, 1> post_norm_backward_row(const xt::xtensor<float, 1>& x_C,
                                             const xt::xtensor<float, 1>& s_C,
                                             const xt::xtensor<float, 2>& J_CC,
                                             const xt::xtensor<float, 1>& a_C,
                                             const xt::xtensor<float, 1>& dy_C, float eps) {
    const std::size_t C = x_C.size();
    check_shape("s_C", s_C, {std::ptrdiff_t(C)});
    check_shape("J_CC", J_CC, {std::ptrdiff_t(C), std::ptrdiff_t(C)});
    check_shape("a_C", a_C, {std::ptrdiff_t(C)});
    check_shape("dy_C", dy_C, {std::ptrdiff_t(C)});
    // The norm came last in forward, so the gradient meets it first: LayerNorm's backward
    // at z = x + s (the chapter's LayerNorm, run on the row as a [1, 1, C] tensor).
    LayerNorm norm(C, "", eps);
    norm.a_2.value = a_C;
    xt::xtensor<float, 3> z_11C = xt::xtensor<float, 3>::from_shape({1, 1, C});
    xt::xtensor<float, 3> dy_11C = xt::xtensor<float, 3>::from_shape({1, 1, C});
    for (std::size_t i = 0; i < C; ++i) {
        z_11C(0, 0, i) = x_C(i) + s_C(i);
        dy_11C(0, 0, i) = dy_C(i);
    }
    norm.forward(z_11C);
    const xt::xtensor<float, 3> dz_11C = norm.backward(dy_11C);
    // z = x + s(x): the residual path hands dz to x unchanged, and the sublayer's path
    // hands back Jᵀ·dz — x_j reaches every output s_i, with weight ∂s_i/∂x_j = J(i, j).
    xt::xtensor<float, 1> dx_C = xt::zeros<float>({C});
    for (std::size_t j = 0; j < C; ++j) {
        double sum = dz_11C(0, 0, j);
        for (std::size_t i = 0; i < C; ++i) sum += double(J_CC(i, j)) * dz_11C(0, 0, i);
        dx_C(j) = static_cast<float>(sum);
    }
    return dx_C;
}

}  // namespace tfm::exercises
