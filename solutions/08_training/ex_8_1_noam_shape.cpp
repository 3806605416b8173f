// Solution to exercise 8.1 — the shape of the Noam schedule.
//
// rate(s) = factor·C^(−1/2)·min(s^(−1/2), s·w^(−3/2)). The branches meet where
// s^(−1/2) = s·w^(−3/2), at s = w, so the peak is factor·(C·w)^(−1/2). Rising, the rate
// is (s/w)·peak: r·peak at s = r·w. Falling, it is (w/s)^(1/2)·peak: r·peak at s = w/r².
// The decay is much slower than the rise: half the peak is reached at w/2 going up and
// only at 4w coming down.
#include "08_training/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>

namespace tfm::exercises {

NoamShape noam_shape(std::size_t model_size, double factor, std::size_t warmup, double r) {
    if (model_size == 0 || warmup == 0)
        throw std::invalid_argument("noam_shape: model_size and warmup must be positive");
    if (!(r > 0.0 && r <= 1.0)) throw std::invalid_argument("noam_shape: r must be in (0, 1]");
    const double w = double(warmup);
    NoamShape s;
    s.peak_step = w;
    s.peak_rate = factor / std::sqrt(double(model_size) * w);
    s.rising_step = r * w;
    s.falling_step = w / (r * r);
    return s;
}

}  // namespace tfm::exercises
