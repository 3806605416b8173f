// Tests for exercise 1.2 — how different are the vectors of an untrained table?
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "00_tensors/random.hpp"
#include "01_embeddings/embeddings.hpp"
#include "01_embeddings/exercises/exercises.hpp"

using tfm::exercises::RowCosines;
using tfm::exercises::untrained_row_cosines;

namespace {
// The header's table, replayed from an identically seeded rng, and its cosines in double.
// `signed_max` is the largest cosine without the |·|: where it falls short of max_abs, the
// widest pair points in opposite directions, and only the |·| finds it.
RowCosines replay(std::size_t V, std::size_t C, tfm::Rng& rng, double& signed_max) {
    tfm::Embeddings table(V, C, rng);
    const auto& E = table.lut.value;  // [V, C]
    std::vector<double> norm(V, 0.0);
    for (std::size_t v = 0; v < V; ++v) {
        for (std::size_t c = 0; c < C; ++c) norm[v] += double(E(v, c)) * double(E(v, c));
        norm[v] = std::sqrt(norm[v]);
    }
    RowCosines r;
    signed_max = -1.0;
    for (std::size_t u = 0; u < V; ++u)
        for (std::size_t v = u + 1; v < V; ++v) {
            double dot = 0.0;
            for (std::size_t c = 0; c < C; ++c) dot += double(E(u, c)) * double(E(v, c));
            const double cosine = dot / (norm[u] * norm[v]);
            r.mean_abs += std::abs(cosine);
            r.max_abs = std::max(r.max_abs, std::abs(cosine));
            signed_max = std::max(signed_max, cosine);
        }
    r.mean_abs /= double(V) * double(V - 1) / 2.0;
    return r;
}
}  // namespace

TEST_CASE("exercise 1.2: a table one number wide") {
    // With C = 1 every cosine is ±1: two numbers either agree in sign or do not.
    tfm::Rng rng(1);
    const RowCosines one = untrained_row_cosines(5, 1, rng);
    CHECK(one.mean_abs == Approx(1.0));
    CHECK(one.max_abs == Approx(1.0));
    CHECK_THROWS_AS(untrained_row_cosines(1, 8, rng), std::invalid_argument);
}

TEST_CASE("exercise 1.2: the largest |cos| may belong to two opposite rows") {
    // Seed 1's table of 30 rows of 8: its widest pair has cos ≈ −0.95, while no pair
    // reaches +0.85. Computed in floats or summed in another order, the numbers move in
    // their sixth digit; a maximum taken before the |·| is off by a tenth.
    tfm::Rng rng(1), same(1);
    const RowCosines r = untrained_row_cosines(30, 8, rng);
    double signed_max = 0.0;
    const RowCosines expected = replay(30, 8, same, signed_max);
    INFO("mean |cos| " << r.mean_abs << " (replayed " << expected.mean_abs << "), largest "
                       << r.max_abs << " (replayed " << expected.max_abs << ", without the |·| "
                       << signed_max << ")");
    REQUIRE(signed_max < expected.max_abs - 0.05);  // the case is the one described above
    CHECK(r.mean_abs == Approx(expected.mean_abs).epsilon(1e-4));
    CHECK(r.max_abs == Approx(expected.max_abs).epsilon(1e-4));
}

TEST_CASE("exercise 1.2: random rows are nearly orthogonal, more so as C grows") {
    tfm::Rng rng(12), same(12);
    const double pi = 3.14159265358979;
    double previous_max = 1.0;
    for (std::size_t C : {16, 64, 256}) {
        const RowCosines r = untrained_row_cosines(200, C, rng);
        double signed_max = 0.0;
        const RowCosines expected = replay(200, C, same, signed_max);
        INFO("C = " << C << ": mean |cos| " << r.mean_abs << " (replayed " << expected.mean_abs
                    << "), largest " << r.max_abs << " (replayed " << expected.max_abs << ")");
        // The very table the header builds, over its pairs of distinct rows: a row paired
        // with itself, or a mean over another count of pairs, changes these numbers.
        CHECK(r.mean_abs == Approx(expected.mean_abs).epsilon(1e-4));
        CHECK(r.max_abs == Approx(expected.max_abs).epsilon(1e-4));
        // For independent Gaussian vectors, cos ≈ N(0, 1/C), whose |·| has mean √(2/(πC)).
        CHECK(r.mean_abs == Approx(std::sqrt(2.0 / (pi * double(C)))).epsilon(0.05));
        // The worst of 19,900 pairs is a few standard deviations out, and falls with C too.
        CHECK(r.max_abs > 3.0 / std::sqrt(double(C)));
        CHECK(r.max_abs < 6.0 / std::sqrt(double(C)));
        CHECK(r.max_abs < previous_max);
        previous_max = r.max_abs;
    }
}
