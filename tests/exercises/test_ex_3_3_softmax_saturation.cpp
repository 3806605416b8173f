// Tests for exercise 3.3 — what the 1/√K is for: watch the softmax saturate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "00_tensors/random.hpp"
#include "00_tensors/softmax.hpp"
#include "03_attention/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::mean_max_attention_weight;

namespace {
// The mean of mean_max_attention_weight over 16 draws of q [32, K] and k [16, K] with
// N(0, 1) entries.
double average_peak(std::size_t K, bool scaled, tfm::Rng& rng) {
    const int draws = 16;
    double sum = 0.0;
    for (int i = 0; i < draws; ++i) {
        Tensor<2> q = xt::zeros<float>({std::size_t(32), K});
        Tensor<2> k = xt::zeros<float>({std::size_t(16), K});
        tfm::fill_normal(q, 0.0f, 1.0f, rng);
        tfm::fill_normal(k, 0.0f, 1.0f, rng);
        sum += mean_max_attention_weight(q, k, scaled);
    }
    return sum / draws;
}
}  // namespace

TEST_CASE("exercise 3.3: the mean of each row's largest weight, with and without the scale") {
    // K = 4, so the scale is 1/2. Row 0 scores (2, 0) scaled and (4, 0) unscaled; row 1
    // ties, whose largest weight is 1/2 either way.
    const Tensor<2> q = {{2, 0, 0, 0}, {0, 0, 0, 0}};
    const Tensor<2> k = {{2, 0, 0, 0}, {0, 2, 0, 0}};
    CHECK(mean_max_attention_weight(q, k, true) == Approx((0.8807971 + 0.5) / 2));  // e²/(e² + 1)
    CHECK(mean_max_attention_weight(q, k, false) == Approx((0.9820138 + 0.5) / 2));  // e⁴/(e⁴ + 1)
}

TEST_CASE("exercise 3.3: one draw, against the weights the test computes itself") {
    // Five queries and seven keys, so that a softmax over the wrong axis or a mean over
    // the wrong dimension cannot give the same number.
    tfm::Rng rng(33);
    Tensor<2> q = xt::zeros<float>({5, 16});
    Tensor<2> k = xt::zeros<float>({7, 16});
    tfm::fill_normal(q, 0.0f, 1.0f, rng);
    tfm::fill_normal(k, 0.0f, 1.0f, rng);
    for (bool scaled : {true, false}) {
        Tensor<2> scores = xt::zeros<float>({5, 7});
        for (std::size_t l = 0; l < 5; ++l)
            for (std::size_t m = 0; m < 7; ++m) {
                double dot = 0.0;
                for (std::size_t c = 0; c < 16; ++c) dot += double(q(l, c)) * k(m, c);
                scores(l, m) = float(scaled ? dot / 4.0 : dot);
            }
        const Tensor<2> weights = tfm::softmax(scores);
        double expected = 0.0;
        for (std::size_t l = 0; l < 5; ++l) {
            double largest = 0.0;
            for (std::size_t m = 0; m < 7; ++m) largest = std::max(largest, double(weights(l, m)));
            expected += largest / 5.0;
        }
        INFO((scaled ? "scaled" : "unscaled"));
        CHECK(mean_max_attention_weight(q, k, scaled) == Approx(expected).epsilon(1e-4));
    }
}

TEST_CASE(
    "exercise 3.3: without the scale the softmax saturates as K grows; with it, it does not") {
    tfm::Rng rng(34);
    const double unscaled_16 = average_peak(16, false, rng),
                 unscaled_64 = average_peak(64, false, rng),
                 unscaled_256 = average_peak(256, false, rng);
    const double scaled_16 = average_peak(16, true, rng), scaled_64 = average_peak(64, true, rng),
                 scaled_256 = average_peak(256, true, rng);
    INFO("mean largest weight over 16 keys, K = 16, 64, 256: without the scale "
         << unscaled_16 << ", " << unscaled_64 << ", " << unscaled_256 << "; with it " << scaled_16
         << ", " << scaled_64 << ", " << scaled_256);
    // Unscaled, the scores' spread grows as √K: one key takes more and more of the weight.
    CHECK(unscaled_16 < unscaled_64);
    CHECK(unscaled_64 < unscaled_256);
    CHECK(unscaled_256 > 0.9);
    // Scaled, the scores keep variance 1 whatever K is: the weights stay spread out.
    for (double peak : {scaled_16, scaled_64, scaled_256}) CHECK(peak < 0.4);
    CHECK(std::abs(scaled_256 - scaled_16) < 0.05);
}
