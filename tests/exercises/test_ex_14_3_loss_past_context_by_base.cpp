// Tests for exercise 14.3 — past the context with another base.
#include <catch2/catch.hpp>

#include "14_modern_decoder/exercises/exercises.hpp"
#include "exercises/shakespeare_start.hpp"

using tfm::exercises::loss_past_context_by_base;

TEST_CASE("exercise 14.3: the losses inside and past the context are the model's own") {
    // A small modern decoder trained for about a second on windows of 16 characters from
    // the first 100,000 characters of Tiny Shakespeare.
    const auto [vocabulary, split] = tfm::testing::shakespeare_start();
    tfm::ModernConfig c;
    c.vocab = vocabulary.size();
    c.block_size = 16;
    c.n_layer = 2;
    c.n_head = 4;
    c.n_kv_head = 2;
    c.n_embd = 48;
    tfm::ModernDecoder model(c, 14);
    tfm::train_language_model(model, tfm::testing::short_run(600), split.train, split.val);

    const std::size_t length = 64;  // four times the context
    const std::vector<double> bases = {10000.0, 1e5, 1e6, 1e8, 100.0};
    const auto losses = loss_past_context_by_base(model, split.val, length, bases);
    REQUIRE(losses.size() == bases.size());
    for (std::size_t j = 0; j < bases.size(); ++j) {
        // Ground truth: the same weights under the other base, measured here.
        tfm::ModernConfig other = c;
        other.rope_base = bases[j];
        tfm::ModernDecoder turned(other, 1);
        for (std::size_t i = 0; i < model.parameters().size(); ++i)
            turned.parameters()[i]->value = model.parameters()[i]->value;
        const tfm::PositionLosses p = tfm::loss_by_position(turned, split.val, length, 8);
        double inside = 0.0, past = 0.0;
        for (std::size_t l = 0; l < length; ++l) (l < 16 ? inside : past) += p.loss[l];
        inside /= 16.0;
        past /= double(length - 16);
        INFO("base " << bases[j] << ": inside " << losses[j].inside << " (here " << inside
                     << "), past " << losses[j].past << " (here " << past << ")");
        CHECK(losses[j].inside == Approx(inside).epsilon(1e-4));
        CHECK(losses[j].past == Approx(past).epsilon(1e-4));
    }
    // What it shows, at the base the model trained with: it reads past its context, worse.
    CHECK(losses[0].past > losses[0].inside + 0.1);
}

TEST_CASE(
    "exercise 14.3: a model with learned positions, or windows within the context, are errors") {
    tfm::ModernConfig c;
    c.vocab = 5;
    c.block_size = 8;
    c.n_layer = 1;
    c.n_head = 2;
    c.n_kv_head = 1;
    c.n_embd = 8;
    const std::vector<std::int64_t> data(100, 1);
    tfm::ModernDecoder rope(c, 1);
    CHECK_THROWS_AS(loss_past_context_by_base(rope, data, 8, {100.0}), std::invalid_argument);
    c.position = "learned";
    tfm::ModernDecoder learned(c, 1);
    CHECK_THROWS_AS(loss_past_context_by_base(learned, data, 16, {100.0}), std::invalid_argument);
}
