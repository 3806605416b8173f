// Tests for exercise 7.1 — how wrong is an untrained model?
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/random.hpp"
#include "07_encoder_decoder/exercises/exercises.hpp"

using tfm::exercises::untrained_loss;
using tfm::exercises::UntrainedLoss;

namespace {
// E[log Σ_v exp z_v] for V independent N(0, σ²) logits, by Monte Carlo: the loss a label
// unrelated to the logits gets, on average.
double expected_log_sum_exp(std::size_t V, double variance) {
    tfm::Rng rng(7);
    const int draws = 40000;
    double total = 0.0;
    for (int i = 0; i < draws; ++i) {
        double sum = 0.0;
        for (std::size_t v = 0; v < V; ++v) sum += std::exp(std::sqrt(variance) * rng.normal());
        total += std::log(sum);
    }
    return total / draws;
}
}  // namespace

TEST_CASE("exercise 7.1: the untrained loss is above log |V|, as the logits' spread says") {
    for (std::size_t V : {8, 200}) {
        // One model's numbers depend on its draw of weights: average over eight.
        const tfm::ModelConfig config = tfm::small_config(V, 1, 64, 128, 4);
        double loss = 0.0, variance = 0.0;
        for (std::uint64_t seed = 1; seed <= 8; ++seed) {
            const UntrainedLoss u = untrained_loss(config, seed);
            loss += u.loss / 8.0;
            variance += u.logit_variance / 8.0;
        }
        const double C = 64.0, predicted_variance = 2.0 * C / (C + double(V)) + 1.0 / (3.0 * C);
        const double expected = expected_log_sum_exp(V, variance);
        INFO("|V| = " << V << ": loss " << loss << " (log |V| = " << std::log(double(V))
                      << ", E[log Σ exp z] = " << expected << "), logit variance " << variance
                      << " (2C/(C + |V|) + 1/(3C) = " << predicted_variance << ")");
        // The final norm and the generator's Xavier weights set the logits' variance...
        CHECK(variance == Approx(predicted_variance).epsilon(0.1));
        // ...and a label unrelated to the logits then costs E[log Σ exp z] on average,
        // more than the log |V| of a uniform guess.
        CHECK(loss == Approx(expected).margin(0.1));
        CHECK(loss > std::log(double(V)) + 0.25 * variance);
    }
}
