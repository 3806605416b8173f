// Tests for exercise 11.2 — what a whole translation costs, with the cache and without.
#include <catch2/catch.hpp>

#include "11_decoding/exercises/exercises.hpp"

using tfm::exercises::DecodingWork;
using tfm::exercises::greedy_decoding_work;

namespace {
// The steps one by one, as the chapter's cost section counts them.
DecodingWork step_by_step(double N, double C, double F, double V, double M, std::size_t L) {
    DecodingWork w;
    w.cached = N * 2 * M * C * C;  // the memory's keys and values, projected once
    for (std::size_t step = 1; step <= L; ++step) {
        const double t = double(step);
        w.cached += N * (4 * C * C + 2 * t * C + 2 * C * C + 2 * M * C + 2 * C * F) + C * V;
        w.recomputing += N * (t * (4 * C * C + 2 * C * C + 2 * C * F) + 2 * M * C * C +
                              2 * t * t * C + 2 * t * M * C) +
                         C * V;
    }
    return w;
}
}  // namespace

TEST_CASE("exercise 11.2: the closed forms equal the step-by-step sums") {
    struct Case {
        std::size_t N, C, F, V, M, L;
    };
    for (const Case& c :
         {Case{3, 256, 512, 6197, 13, 13}, Case{3, 256, 512, 6197, 30, 30},
          Case{6, 512, 2048, 8000, 25, 1}, Case{1, 8, 16, 11, 4, 57}, Case{2, 64, 128, 20, 7, 0}}) {
        INFO("N " << c.N << " C " << c.C << " F " << c.F << " V " << c.V << " M " << c.M << " L "
                  << c.L);
        const DecodingWork got = greedy_decoding_work(c.N, c.C, c.F, c.V, c.M, c.L);
        const DecodingWork want = step_by_step(c.N, c.C, c.F, c.V, c.M, c.L);
        CHECK(got.cached == Approx(want.cached).epsilon(1e-12));
        CHECK(got.recomputing == Approx(want.recomputing).epsilon(1e-12));
    }
}

TEST_CASE("exercise 11.2: one step costs the same either way; long outputs favour the cache") {
    const DecodingWork one = greedy_decoding_work(3, 256, 512, 6197, 13, 1);
    CHECK(one.cached == Approx(one.recomputing).epsilon(1e-12));
    // The recomputing total grows like L³ through the t × t grids, the cached one like L².
    // Doubling a long output multiplies the first by nearly 8, the second by under 4.
    const DecodingWork w1000 = greedy_decoding_work(1, 8, 8, 8, 1, 1000),
                       w2000 = greedy_decoding_work(1, 8, 8, 8, 1, 2000);
    CHECK(w2000.recomputing / w1000.recomputing > 7.5);
    CHECK(w2000.cached / w1000.cached < 4.0);
}
