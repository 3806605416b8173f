// Solution to exercise 5.1 — ReLU's backward.
#include "05_feed_forward/exercises/exercises.hpp"

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

xt::xtensor<float, 2> relu_backward(const xt::xtensor<float, 2>& h_NF,
                                    const xt::xtensor<float, 2>& da_NF) {
    check_shape("relu_backward da_NF", da_NF,
                {std::ptrdiff_t(h_NF.shape()[0]), std::ptrdiff_t(h_NF.shape()[1])});
    xt::xtensor<float, 2> dh_NF = xt::where(h_NF > 0.0f, da_NF, 0.0f);
    return dh_NF;
}

}  // namespace tfm::exercises
