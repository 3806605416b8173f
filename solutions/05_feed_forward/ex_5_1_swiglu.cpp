// Solution to exercise 5.1 — the gated network of the LLaMA models, forward and backward.
//
// Forward: a = x·W1ᵀ, b = x·W3ᵀ [N, F], g = Swish(a) ⊙ b, y = g·W2ᵀ.
// Backward, with dg = dy·W2 and dW2 = dyᵀ·g (W2's Linear backward):
//   db = dg ⊙ Swish(a)                         (the gate weights the linear branch)
//   da = dg ⊙ b ⊙ Swish'(a),  Swish'(a) = σ(a)·(1 + a·(1 − σ(a)))
//   dW1 = daᵀ·x,  dW3 = dbᵀ·x,  dx = da·W1 + db·W3   (x feeds both branches: the sum)
#include "05_feed_forward/exercises/exercises.hpp"

#include <cmath>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

SwiGLUGrads swiglu(const Tensor<2>& x_NC, const Tensor<2>& W1_FC, const Tensor<2>& W3_FC,
                   const Tensor<2>& W2_CF, const Tensor<2>& dy_NC) {
    const std::size_t N = x_NC.shape()[0], C = x_NC.shape()[1], F = W1_FC.shape()[0];
    const auto n_ = std::ptrdiff_t(N), c_ = std::ptrdiff_t(C), f_ = std::ptrdiff_t(F);
    check_shape("W1_FC", W1_FC, {f_, c_});
    check_shape("W3_FC", W3_FC, {f_, c_});
    check_shape("W2_CF", W2_CF, {c_, f_});
    check_shape("dy_NC", dy_NC, {n_, c_});

    const Tensor<2> a_NF = matmul(x_NC, W1_FC, Transpose::No, Transpose::Yes);
    const Tensor<2> b_NF = matmul(x_NC, W3_FC, Transpose::No, Transpose::Yes);
    Tensor<2> g_NF = Tensor<2>::from_shape({N, F}), swish_NF = g_NF;
    for (std::size_t i = 0; i < a_NF.size(); ++i) {
        const float a = a_NF.data()[i];
        swish_NF.data()[i] = a / (1.0f + std::exp(-a));
        g_NF.data()[i] = swish_NF.data()[i] * b_NF.data()[i];
    }
    SwiGLUGrads out;
    out.y_NC = matmul(g_NF, W2_CF, Transpose::No, Transpose::Yes);
    out.dW2_CF = matmul(dy_NC, g_NF, Transpose::Yes, Transpose::No);
    const Tensor<2> dg_NF = matmul(dy_NC, W2_CF);
    Tensor<2> da_NF = Tensor<2>::from_shape({N, F}), db_NF = da_NF;
    for (std::size_t i = 0; i < a_NF.size(); ++i) {
        const float a = a_NF.data()[i], sigma = 1.0f / (1.0f + std::exp(-a));
        db_NF.data()[i] = dg_NF.data()[i] * swish_NF.data()[i];
        da_NF.data()[i] = dg_NF.data()[i] * b_NF.data()[i] * sigma * (1.0f + a * (1.0f - sigma));
    }
    out.dW1_FC = matmul(da_NF, x_NC, Transpose::Yes, Transpose::No);
    out.dW3_FC = matmul(db_NF, x_NC, Transpose::Yes, Transpose::No);
    out.dx_NC = matmul(da_NF, W1_FC);
    matmul_into(db_NF, W3_FC, out.dx_NC, Transpose::No, Transpose::No, 1.0f, 1.0f);
    return out;
}

}  // namespace tfm::exercises
