// Tests for exercise 14.2 — how exactly does a float32 RoPE depend on m − n alone?
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/gradcheck.hpp"
#include "14_modern_decoder/exercises/exercises.hpp"
#include "14_modern_decoder/modern_layers.hpp"

using tfm::exercises::relative_position_errors;

namespace {

// The ground truth, measured here the same way with the chapter's code.
struct Scores {
    double exact, library, float_angles;
};

Scores scores(const std::vector<float>& q, const std::vector<float>& k, std::size_t m,
              std::size_t n, std::size_t s) {
    const std::size_t K = q.size();
    const tfm::RotaryEmbedding rope(K);
    Scores r{0.0, 0.0, 0.0};
    tfm::Tensor<4> qt = tfm::Tensor<4>::from_shape({1, 1, 1, K}), kt = qt;
    std::copy(q.begin(), q.end(), qt.begin());
    std::copy(k.begin(), k.end(), kt.begin());
    rope.rotate(qt, m + s);
    rope.rotate(kt, n + s);
    r.library = tfm::dot_double(qt, kt);
    for (std::size_t i = 0; i < K / 2; ++i) {
        // Exact: the angle between the two is (m − n)·θ_i, turned in double.
        const double d = (double(m) - double(n)) * rope.frequency(i);
        r.exact +=
            (double(q[2 * i]) * k[2 * i] + double(q[2 * i + 1]) * k[2 * i + 1]) * std::cos(d) +
            (double(q[2 * i]) * k[2 * i + 1] - double(q[2 * i + 1]) * k[2 * i]) * std::sin(d);
        const float f = float(rope.frequency(i));
        const float a = float(m + s) * f, b = float(n + s) * f;
        const float q0 = q[2 * i] * std::cos(a) - q[2 * i + 1] * std::sin(a);
        const float q1 = q[2 * i] * std::sin(a) + q[2 * i + 1] * std::cos(a);
        const float k0 = k[2 * i] * std::cos(b) - k[2 * i + 1] * std::sin(b);
        const float k1 = k[2 * i] * std::sin(b) + k[2 * i + 1] * std::cos(b);
        r.float_angles += double(q0) * k0 + double(q1) * k1;
    }
    return r;
}

}  // namespace

TEST_CASE("exercise 14.2: the errors are the scores' own, shift by shift") {
    const std::size_t K = 64;
    tfm::Rng rng(142);
    std::vector<float> q(K), k(K);
    for (std::size_t i = 0; i < K; ++i) {
        q[i] = float(rng.normal());
        k[i] = float(rng.normal());
    }
    double qq = 0.0, kk = 0.0;
    for (std::size_t i = 0; i < K; ++i) {
        qq += double(q[i]) * q[i];
        kk += double(k[i]) * k[i];
    }
    const double scale = std::sqrt(qq * kk);
    const std::size_t m = 9, n = 4;
    const std::vector<std::size_t> shifts = {0, 100, 10000, 100000, 1000000, 4000000};
    const tfm::exercises::ShiftErrors e = relative_position_errors(q, k, m, n, shifts);
    REQUIRE(e.library.size() == shifts.size());
    REQUIRE(e.float_angles.size() == shifts.size());
    for (std::size_t j = 0; j < shifts.size(); ++j) {
        const Scores s = scores(q, k, m, n, shifts[j]);
        const double library = std::abs(s.library - s.exact) / scale;
        const double float_angles = std::abs(s.float_angles - s.exact) / scale;
        INFO("shift " << shifts[j] << ": library " << e.library[j] << " (here " << library
                      << "), float angles " << e.float_angles[j] << " (here " << float_angles
                      << ")");
        // The library's error is about 1e-8: held to a tenth of itself, so that zeros or the
        // library's score compared with itself fail.
        CHECK(e.library[j] == Approx(library).epsilon(0.1).margin(1e-9));
        CHECK(e.float_angles[j] == Approx(float_angles).epsilon(0.02).margin(1e-6));
        // What it shows: the library's error stays at float32's rounding at every shift.
        CHECK(e.library[j] < 1e-6);
    }
    CHECK(e.float_angles.back() > 1e3 * e.library.back());
}

TEST_CASE("exercise 14.2: q and k must be pairs of the same size") {
    CHECK_THROWS_AS(relative_position_errors({1, 2}, {1, 2, 3, 4}, 1, 0, {0}),
                    std::invalid_argument);
    CHECK_THROWS_AS(relative_position_errors({1, 2, 3}, {1, 2, 3}, 1, 0, {0}),
                    std::invalid_argument);
}
