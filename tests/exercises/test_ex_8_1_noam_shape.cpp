// Tests for exercise 8.1 — the shape of the Noam schedule.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <tuple>

#include "08_training/exercises/exercises.hpp"
#include "08_training/optimizer.hpp"

using tfm::exercises::noam_shape;
using tfm::exercises::NoamShape;

TEST_CASE("exercise 8.1: the paper's base model") {
    const NoamShape s = noam_shape(512, 1.0, 4000, 0.5);
    CHECK(s.peak_step == Approx(4000));
    CHECK(s.peak_rate == Approx(6.98771e-4));  // 1/√(512 · 4000)
    CHECK(s.rising_step == Approx(2000));
    CHECK(s.falling_step == Approx(16000));
    CHECK_THROWS_AS(noam_shape(512, 1.0, 4000, 0.0), std::invalid_argument);
    CHECK_THROWS_AS(noam_shape(512, 1.0, 4000, 1.5), std::invalid_argument);
    CHECK_THROWS_AS(noam_shape(512, 1.0, 0, 0.5), std::invalid_argument);
}

TEST_CASE("exercise 8.1: agrees with the chapter's noam_rate, step by step") {
    for (auto [C, factor, warmup] : {std::tuple{512UL, 1.0, 400UL}, std::tuple{128UL, 2.0, 3000UL},
                                     std::tuple{32UL, 0.5, 40UL}}) {
        // The largest rate over the first 20·warmup steps, found by trying them all.
        double best = 0.0;
        std::size_t best_step = 0;
        for (std::size_t step = 1; step <= 20 * warmup; ++step) {
            const double rate = tfm::noam_rate(step, C, factor, warmup);
            if (rate > best) {
                best = rate;
                best_step = step;
            }
        }
        for (double r : {0.25, 0.5, 0.9, 1.0}) {
            const NoamShape s = noam_shape(C, factor, warmup, r);
            INFO("C " << C << ", factor " << factor << ", warm-up " << warmup << ", r " << r);
            CHECK(s.peak_step == Approx(double(best_step)));
            CHECK(s.peak_rate == Approx(best));
            // The schedule passes r·peak between the whole steps around each answer.
            auto rate = [&](double step) {
                return tfm::noam_rate(std::size_t(step), C, factor, warmup);
            };
            CHECK(rate(std::floor(s.rising_step)) <= r * best * (1 + 1e-9));
            CHECK(rate(std::ceil(s.rising_step)) >= r * best * (1 - 1e-9));
            CHECK(rate(std::floor(s.falling_step)) >= r * best * (1 - 1e-9));
            CHECK(rate(std::ceil(s.falling_step)) <= r * best * (1 + 1e-9));
        }
    }
}
