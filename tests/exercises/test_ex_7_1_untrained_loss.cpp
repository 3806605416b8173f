// Tests for exercise 7.1 — how wrong is an untrained model?
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <xtensor/xview.hpp>

#include "00_tensors/random.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/exercises/exercises.hpp"
#include "07_encoder_decoder/generator.hpp"

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

// The header's measurement, replayed: the same model, the same sentences drawn from its
// rng in the same order, each label the token one position after the decoder's input.
// In an untrained model whose generator has weights of its own (not the embeddings'), a
// label one position off costs the same on average: only the same draws tell them apart.
UntrainedLoss replay(const tfm::ModelConfig& config, std::uint64_t seed) {
    const std::size_t B = 16, T = 12;
    tfm::EncoderDecoder model(config, seed);
    model.train(false);
    auto draw = [&](std::size_t vocab) {
        xt::xtensor<std::int64_t, 2> ids = xt::xtensor<std::int64_t, 2>::from_shape({B, T});
        for (auto& id : ids) id = 1 + std::int64_t(model.rng().below(std::uint32_t(vocab - 1)));
        return ids;
    };
    const xt::xtensor<std::int64_t, 2> src = draw(config.src_vocab);
    const xt::xtensor<std::int64_t, 2> tgt = draw(config.tgt_vocab);
    const xt::xtensor<std::int64_t, 2> tgt_in = xt::view(tgt, xt::all(), xt::range(0, T - 1));
    const tfm::Tensor<3> z_BLV = model.generator.logits(
        model.forward(src, tgt_in, tfm::padding_mask(src, 0), tfm::decoder_mask(tgt_in, 0)));
    // Computed another way than a solution would: each row's cross-entropy as
    // log Σ exp(z − max) + max − z_label, and its variance as E[z²] − E[z]², in double.
    const std::size_t V = z_BLV.shape()[2];
    double loss = 0.0, variance = 0.0;
    for (std::size_t b = 0; b < B; ++b) {
        for (std::size_t t = 0; t + 1 < T; ++t) {
            const float* row = &z_BLV(b, t, 0);
            const double top = *std::max_element(row, row + V);
            double sum = 0.0, first = 0.0, second = 0.0;
            for (std::size_t v = 0; v < V; ++v) {
                sum += std::exp(double(row[v]) - top);
                first += row[v];
                second += double(row[v]) * row[v];
            }
            loss += std::log(sum) + top - row[tgt(b, t + 1)];
            variance += second / double(V) - (first / double(V)) * (first / double(V));
        }
    }
    const double rows = double(B * (T - 1));
    return UntrainedLoss{loss / rows, variance / rows};
}
}  // namespace

TEST_CASE("exercise 7.1: the loss is that of the next tokens, on the header's sentences") {
    for (std::size_t V : {8, 200}) {
        const tfm::ModelConfig config = tfm::small_config(V, 1, 64, 128, 4);
        for (std::uint64_t seed : {1, 2}) {
            const UntrainedLoss u = untrained_loss(config, seed), r = replay(config, seed);
            INFO("|V| = " << V << ", seed " << seed << ": loss " << u.loss << " (replayed "
                          << r.loss << "), logit variance " << u.logit_variance << " (replayed "
                          << r.logit_variance << ")");
            // Summed in another order, or in floats, the numbers move in their sixth digit;
            // a label one position off moves the loss by several hundredths.
            CHECK(u.loss == Approx(r.loss).epsilon(1e-4));
            CHECK(u.logit_variance == Approx(r.logit_variance).epsilon(1e-4));
        }
    }
}

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
