// Solution to exercise 5.2 — the feed-forward network on rows.
#include "05_feed_forward/exercises/exercises.hpp"

#include <xtensor/xview.hpp>

#include "00_tensors/matmul.hpp"

namespace tfm::exercises {

xt::xtensor<float, 2> feed_forward_rows(const xt::xtensor<float, 2>& x_NC,
                                        const xt::xtensor<float, 2>& w1_FC,
                                        const xt::xtensor<float, 1>& b1_F,
                                        const xt::xtensor<float, 2>& w2_CF,
                                        const xt::xtensor<float, 1>& b2_C) {
    const std::size_t N = x_NC.shape()[0], F = w1_FC.shape()[0], C = w2_CF.shape()[0];
    xt::xtensor<float, 2> h_NF = xt::zeros<float>({N, F});
    matmul_into(x_NC, w1_FC, h_NF, Transpose::No, Transpose::Yes);
    xt::xtensor<float, 2> a_NF = h_NF + b1_F;  // the bias broadcasts over rows
    a_NF = xt::where(a_NF > 0.0f, a_NF, 0.0f);
    xt::xtensor<float, 2> y_NC = xt::zeros<float>({N, C});
    matmul_into(a_NF, w2_CF, y_NC, Transpose::No, Transpose::Yes);
    y_NC += b2_C;
    return y_NC;
}

}  // namespace tfm::exercises
