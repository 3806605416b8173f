// Solution to exercise 13.2 — how many machines make the step fastest?
#include "13_data_parallel/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>

namespace tfm::exercises {

double fastest_machine_count(double t1, double bytes, double bandwidth, double buckets,
                             double latency) {
    // t(P) = (t1 − 2S/β)/P + 2S/β + 2·n·α·P − 2·n·α, so
    // dt/dP = −(t1 − 2S/β)/P² + 2·n·α = 0 at P² = (t1 − 2S/β) / (2·n·α).
    // If t1 ≤ 2S/β the first term never falls: t only grows, and one machine is fastest.
    const double shrinking = t1 - 2.0 * bytes / bandwidth, growing = 2.0 * buckets * latency;
    if (shrinking <= 0.0) return 1.0;
    if (growing <= 0.0) return HUGE_VAL;  // free messages: more machines always help
    return std::max(1.0, std::sqrt(shrinking / growing));
}

}  // namespace tfm::exercises
