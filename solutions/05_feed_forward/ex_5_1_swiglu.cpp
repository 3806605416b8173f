// Solution to exercise 5.1 — the gated network of the LLaMA models, forward and backward.
//
// Forward: a = x·W1ᵀ, b = x·W3ᵀ [R, F], g = Swish(a) ⊙ b, y = g·W2ᵀ.
// Backward, with dg = dy·W2 and dW2 = dyᵀ·g (W2's Linear backward):
//   db = dg ⊙ Swish(a)                         (the gate weights the linear branch)
//   da = dg ⊙ b ⊙ Swish'(a),  Swish'(a) = σ(a)·(1 + a·(1 − σ(a)))
//   dW1 = daᵀ·x,  dW3 = dbᵀ·x,  dx = da·W1 + db·W3   (x feeds both branches: the sum)
#include "05_feed_forward/exercises/exercises.hpp"

#include <cmath>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

SwiGLUGrads swiglu(const Tensor<2>& x_RC, const Tensor<2>& W1_FC, const Tensor<2>& W3_FC,
                   const Tensor<2>& W2_CF, const Tensor<2>& dy_RC) {
    const std::size_t R = x_RC.shape()[0], C = x_RC.shape()[1], F = W1_FC.shape()[0];
    const auto r_ = std::ptrdiff_t(R), c_ = std::ptrdiff_t(C), f_ = std::ptrdiff_t(F);
    check_shape("W1_FC", W1_FC, {f_, c_});
    check_shape("W3_FC", W3_FC, {f_, c_});
    check_shape("W2_CF", W2_CF, {c_, f_});
    check_shape("dy_RC", dy_RC, {r_, c_});

    const Tensor<2> a_RF = matmul(x_RC, W1_FC, Transpose::No, Transpose::Yes);
    const Tensor<2> b_RF = matmul(x_RC, W3_FC, Transpose::No, Transpose::Yes);
    Tensor<2> g_RF = Tensor<2>::from_shape({R, F}), swish_RF = g_RF;
    for (std::size_t i = 0; i < a_RF.size(); ++i) {
        const float a = a_RF.data()[i];
        swish_RF.data()[i] = a / (1.0f + std::exp(-a));
        g_RF.data()[i] = swish_RF.data()[i] * b_RF.data()[i];
    }
    SwiGLUGrads out;
    out.y_RC = matmul(g_RF, W2_CF, Transpose::No, Transpose::Yes);
    out.dW2_CF = matmul(dy_RC, g_RF, Transpose::Yes, Transpose::No);
    const Tensor<2> dg_RF = matmul(dy_RC, W2_CF);
    Tensor<2> da_RF = Tensor<2>::from_shape({R, F}), db_RF = da_RF;
    for (std::size_t i = 0; i < a_RF.size(); ++i) {
        const float a = a_RF.data()[i], sigma = 1.0f / (1.0f + std::exp(-a));
        db_RF.data()[i] = dg_RF.data()[i] * swish_RF.data()[i];
        da_RF.data()[i] = dg_RF.data()[i] * b_RF.data()[i] * sigma * (1.0f + a * (1.0f - sigma));
    }
    out.dW1_FC = matmul(da_RF, x_RC, Transpose::Yes, Transpose::No);
    out.dW3_FC = matmul(db_RF, x_RC, Transpose::Yes, Transpose::No);
    out.dx_RC = matmul(da_RF, W1_FC);
    matmul_into(db_RF, W3_FC, out.dx_RC, Transpose::No, Transpose::No, 1.0f, 1.0f);
    return out;
}

}  // namespace tfm::exercises
