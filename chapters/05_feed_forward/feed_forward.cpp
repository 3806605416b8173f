// feed_forward.cpp — two Linear layers with a ReLU between them.
#include "feed_forward.hpp"

#include <xtensor/xnoalias.hpp>
#include <xtensor/xoperation.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm {

PositionwiseFeedForward::PositionwiseFeedForward(std::size_t d_model, std::size_t d_ff,
                                                 float dropout, Rng& rng, const std::string& prefix)
    : w_1(d_model, d_ff, rng, prefix + "w_1."),
      w_2(d_ff, d_model, rng, prefix + "w_2."),
      dropout_(dropout, rng) {}

ParameterList PositionwiseFeedForward::parameters() {
    ParameterList params = w_1.parameters();
    append(params, w_2.parameters());
    return params;
}

//! [feed-forward forward]
Tensor<3> PositionwiseFeedForward::forward(const Tensor<3>& x_BLC) {
    check_shape("PositionwiseFeedForward x_BLC", x_BLC,
                {kAny, kAny, std::ptrdiff_t(w_1.in_features())});
    h_BLF_ = w_1.forward(x_BLC);  // [B·L, C]·[C, F]: one sgemm for every position at once
    // ReLU: xt::where is a single SIMD pass (faster than xt::maximum with a scalar).
    Tensor<3> a_BLF = xt::where(h_BLF_ > 0.0f, h_BLF_, 0.0f);
    dropout_.forward_inplace(a_BLF.data(), a_BLF.size());
    return w_2.forward(a_BLF);  // [B·L, F]·[F, C]: the second sgemm
}
//! [feed-forward forward]

//! [feed-forward backward]
Tensor<3> PositionwiseFeedForward::backward(const Tensor<3>& dy_BLC) {
    Tensor<3> dh_BLF = w_2.backward(dy_BLC);
    dropout_.backward_inplace(dh_BLF.data(), dh_BLF.size());
    // ReLU passes the gradient where its input was positive and blocks it elsewhere.
    xt::noalias(dh_BLF) = xt::where(h_BLF_ > 0.0f, dh_BLF, 0.0f);
    return w_1.backward(dh_BLF);
}
//! [feed-forward backward]

}  // namespace tfm
