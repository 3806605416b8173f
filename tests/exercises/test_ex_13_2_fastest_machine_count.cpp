// Tests for exercise 13.2 — how many machines make the step fastest?
#include <catch2/catch.hpp>

#include <cmath>

#include "13_data_parallel/exercises/exercises.hpp"

using tfm::exercises::fastest_machine_count;

namespace {
// Chapter 13's cost model, the global batch fixed.
double step_time(double t1, double P, double bytes, double bandwidth, double buckets,
                 double latency) {
    return t1 / P + 2.0 * (P - 1.0) / P * bytes / bandwidth + 2.0 * (P - 1.0) * buckets * latency;
}
// The fastest P by golden-section search on [1, hi] (t is convex in P).
double searched(double t1, double bytes, double bandwidth, double buckets, double latency,
                double hi) {
    double a = 1.0, b = hi;
    const double g = (std::sqrt(5.0) - 1.0) / 2.0;
    for (int i = 0; i < 200; ++i) {
        const double c = b - g * (b - a), d = a + g * (b - a);
        if (step_time(t1, c, bytes, bandwidth, buckets, latency) <
            step_time(t1, d, bytes, bandwidth, buckets, latency))
            b = d;
        else
            a = c;
    }
    return (a + b) / 2.0;
}
}  // namespace

TEST_CASE("exercise 13.2: the closed form is where the cost model's step is shortest") {
    const double S = 9194293.0 * 4.0;  // chapter 10's model's gradients, in bytes
    struct Case {
        double t1, bytes, bandwidth, buckets, latency;
    };
    for (const Case& c : {Case{0.505, S, 1.25e9, 9, 50e-6}, Case{0.505, S, 12.5e9, 9, 50e-6},
                          Case{0.505, S, 1.25e9, 134, 50e-6}, Case{0.83, S, 1.25e9, 9, 50e-6},
                          Case{30.0, 1e9, 1.25e10, 40, 5e-6}, Case{0.2, 4e6, 1e9, 2, 1e-4}}) {
        INFO("t1 " << c.t1 << " bytes " << c.bytes << " bandwidth " << c.bandwidth << " buckets "
                   << c.buckets << " latency " << c.latency);
        const double P = fastest_machine_count(c.t1, c.bytes, c.bandwidth, c.buckets, c.latency);
        CHECK(
            P ==
            Approx(searched(c.t1, c.bytes, c.bandwidth, c.buckets, c.latency, 1e7)).epsilon(1e-6));
    }
    // The chapter's machines: about 22 at 10 Gbit/s.
    CHECK(fastest_machine_count(0.505, S, 1.25e9, 9, 50e-6) ==
          Approx(std::sqrt((0.505 - 2.0 * S / 1.25e9) / (2.0 * 9 * 50e-6))).epsilon(1e-12));
    CHECK(fastest_machine_count(0.505, S, 1.25e9, 9, 50e-6) == Approx(22.3).margin(0.05));
}

TEST_CASE("exercise 13.2: when communication costs more than it saves, one machine is fastest") {
    // 2S/β above t1: the transfer alone outweighs the whole step.
    CHECK(fastest_machine_count(0.05, 36.8e6, 1.25e9, 9, 50e-6) == 1.0);
    // A best P below 1 is no machine count: one machine.
    CHECK(fastest_machine_count(0.001, 1e3, 1e9, 100, 1e-3) == 1.0);
}
