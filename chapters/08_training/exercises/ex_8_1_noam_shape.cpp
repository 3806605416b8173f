// Exercise 8.1 (derivation) — the shape of the Noam schedule.
//
// The schedule rises linearly for `warmup` steps, then decays as 1/√step. Work out on
// paper where its two branches meet and how high the peak is there, and the two steps at
// which it passes a fraction r of that peak — one on the way up, one on the way down. Are the two sides symmetric? For
// the paper's base model (C = 512, warm-up 4,000 steps, 100,000 steps of training), how
// far below its peak does the rate end?
//
// Test it with:  scripts/exercises 8.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

NoamShape noam_shape(std::size_t model_size, double factor, std::size_t warmup, double r) {
    // TODO(ex 8.1): check the arguments; then four closed forms.
    throw std::logic_error("not implemented: exercise 8.1");
}

}  // namespace tfm::exercises
