// Solution to exercise 8.1 — the Noam learning-rate schedule.
#include "08_training/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>

namespace tfm::exercises {

double noam(std::size_t step, std::size_t model_size, double factor, std::size_t warmup) {
    const double s = step == 0 ? 1.0 : double(step);
    return factor * std::pow(double(model_size), -0.5) *
           std::min(std::pow(s, -0.5), s * std::pow(double(warmup), -1.5));
}

}  // namespace tfm::exercises
