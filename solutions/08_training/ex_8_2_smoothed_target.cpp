// Solution to exercise 8.2 — the label-smoothed target of one label.
#include "08_training/exercises/exercises.hpp"

namespace tfm::exercises {

xt::xtensor<float, 1> smoothed_target(std::int64_t label, std::size_t vocab,
                                      std::int64_t padding_idx, float smoothing) {
    xt::xtensor<float, 1> q = xt::zeros<float>({vocab});
    if (label == padding_idx) return q;
    q.fill(smoothing / float(vocab - 2));
    q(std::size_t(label)) = 1.0f - smoothing;
    q(std::size_t(padding_idx)) = 0.0f;
    return q;
}

}  // namespace tfm::exercises
