// Solution to exercise 2.2 — inverted dropout, given its mask.
#include "02_positional_encoding/exercises/exercises.hpp"

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

xt::xtensor<float, 1> apply_dropout_mask(const xt::xtensor<float, 1>& x,
                                         const xt::xtensor<bool, 1>& keep, float p) {
    check_size("apply_dropout_mask: size of keep", x.size(), keep.size());
    xt::xtensor<float, 1> y = xt::zeros<float>({x.size()});
    const float scale = 1.0f / (1.0f - p);
    for (std::size_t i = 0; i < x.size(); ++i) y(i) = keep(i) ? x(i) * scale : 0.0f;
    return y;
}

}  // namespace tfm::exercises
