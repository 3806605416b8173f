// Chapter 00: seeded random numbers and PyTorch's initialisers, checked by statistics.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xmath.hpp>
#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"

using namespace tfm;

namespace {
struct Stats {
    double mean, var, min, max;
};
template <class T>
Stats stats(const T& t) {
    double sum = 0, sq = 0, lo = HUGE_VAL, hi = -HUGE_VAL;
    for (float v : t) {
        sum += v;
        sq += double(v) * v;
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
    }
    const double n = double(t.size());
    return {sum / n, sq / n - (sum / n) * (sum / n), lo, hi};
}
}  // namespace

TEST_CASE("the same seed gives the same numbers, and another seed does not") {
    Rng a(42), b(42), c(43);
    bool all_same = true, any_diff = false;
    for (int i = 0; i < 100; ++i) {
        const float x = a.uniform(), y = b.uniform(), z = c.uniform();
        all_same = all_same && x == y;
        any_diff = any_diff || x != z;
    }
    CHECK(all_same);
    CHECK(any_diff);
}

TEST_CASE("the generator state round-trips, and a malformed state is an error") {
    Rng a(7);
    for (int i = 0; i < 10; ++i) a.next_u32();
    Rng b(0);
    b.set_state(a.state());
    CHECK(a.next_u32() == b.next_u32());
    CHECK_THROWS_WITH(b.set_state("not a state"), "Rng::set_state: malformed generator state");
}

TEST_CASE("uniform and normal draws have the right statistics") {
    Rng rng(1);
    Tensor<1> u = xt::zeros<float>({200000});
    fill_uniform(u, -2.0f, 4.0f, rng);
    const Stats su = stats(u);
    CHECK(su.min >= -2.0);
    CHECK(su.max < 4.0);
    CHECK(su.mean == Approx(1.0).margin(0.02));  // (lo + hi) / 2
    CHECK(su.var == Approx(3.0).epsilon(0.02));  // (hi − lo)² / 12 = 36/12
    Tensor<1> g = xt::zeros<float>({200000});
    fill_normal(g, 0.5f, 2.0f, rng);
    const Stats sg = stats(g);
    CHECK(sg.mean == Approx(0.5).margin(0.02));
    CHECK(sg.var == Approx(4.0).epsilon(0.02));
}

TEST_CASE("below(n) is uniform over 0..n-1") {
    Rng rng(5);
    std::size_t counts[3] = {0, 0, 0};
    for (int i = 0; i < 30000; ++i) ++counts[rng.below(3)];
    for (auto c : counts) CHECK(double(c) == Approx(10000).epsilon(0.03));
    CHECK_THROWS_AS(rng.below(0), std::invalid_argument);
}

TEST_CASE("Xavier uniform uses PyTorch's bound sqrt(6 / (fan_in + fan_out))") {
    Rng rng(3);
    Tensor<2> w_OI = xt::zeros<float>({256, 512});  // fan_out 256, fan_in 512
    xavier_uniform(w_OI, rng);
    const double bound = std::sqrt(6.0 / (512 + 256));
    const Stats s = stats(w_OI);
    CHECK(s.max <= bound);
    CHECK(s.min >= -bound);
    CHECK(s.max > 0.99 * bound);  // the whole range is used
    CHECK(s.mean == Approx(0.0).margin(0.002));
    // Var of U(-a, a) is a²/3 = 2 / (fan_in + fan_out): Glorot's condition.
    CHECK(s.var == Approx(2.0 / (512 + 256)).epsilon(0.02));
    // Further dimensions multiply both fans (PyTorch's receptive field).
    Tensor<3> w3 = xt::zeros<float>({4, 6, 5});
    const Fans f = compute_fans(w3);
    CHECK(f.fan_in == 30);
    CHECK(f.fan_out == 20);
    Tensor<1> bias = xt::zeros<float>({4});
    CHECK_THROWS_AS(xavier_uniform(bias, rng), std::invalid_argument);
}

TEST_CASE("nn.Linear's default init is U(-1/sqrt(fan_in), 1/sqrt(fan_in))") {
    Rng rng(4);
    Tensor<1> b_O = xt::zeros<float>({100000});
    linear_default_uniform(b_O, 64, rng);
    const Stats s = stats(b_O);
    CHECK(s.max <= 0.125);  // 1/sqrt(64)
    CHECK(s.min >= -0.125);
    CHECK(s.var == Approx(0.125 * 0.125 / 3).epsilon(0.02));
}
