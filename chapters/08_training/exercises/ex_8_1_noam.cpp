// Exercise 8.1 — the Noam learning-rate schedule.
//
// Linear warm-up for `warmup` steps, then decay as 1/√step; the two branches meet at
// step = warmup, the peak. The chapter's figure draws three settings.
//
// Test it with:  scripts/exercises 8.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

double noam(std::size_t step, std::size_t model_size, double factor, std::size_t warmup) {
    // TODO(ex 8.1): factor · model_size^−0.5 · min(step^−0.5, step · warmup^−1.5), step 0 → 1.
    throw std::logic_error("not implemented: exercise 8.1");
}

}  // namespace tfm::exercises
