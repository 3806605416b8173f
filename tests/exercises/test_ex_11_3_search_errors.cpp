// Tests for exercise 11.3 — better search, shorter translations? Measure it.
#include <catch2/catch.hpp>

#include "11_decoding/decoding.hpp"
#include "11_decoding/exercises/exercises.hpp"

using tfm::exercises::search_errors_by_beam;
using tfm::exercises::SearchOutcome;

namespace {
// A small random model with 5 target tokens (</s> among them), whose every output of at
// most 4 tokens — 341 of them — can be searched; `sharpen` multiplies its generator's
// weights, which divides the logits by a temperature 1/sharpen: a model as sure of
// itself as a trained one, if not as right.
tfm::EncoderDecoder small_model(float sharpen) {
    tfm::ModelConfig config = tfm::small_config(5, 2, 16, 32, 4);
    config.src_vocab = 20;
    tfm::EncoderDecoder model(config, 113);
    for (tfm::Parameter* p : model.generator.parameters()) p->value *= sharpen;
    return model;
}

// Runs the exercise and checks every number against the same searches run here.
std::vector<SearchOutcome> measured(tfm::EncoderDecoder& model) {
    tfm::Rng rng(311);
    std::vector<std::vector<std::int64_t>> sources(40);
    for (auto& s : sources)
        for (int i = 0; i < 2; ++i) s.push_back(4 + std::int64_t(rng.below(16)));
    const std::size_t extra = 2;
    const std::vector<std::size_t> beams = {1, 2, 4, 341};
    const auto outcomes = search_errors_by_beam(model, sources, beams, extra);
    REQUIRE(outcomes.size() == beams.size());
    tfm::DecodeOptions d;
    d.alpha = 0.0;
    d.extra = extra;
    d.beam = 341;  // prunes nothing: exact
    const auto exact = tfm::decode_sentences(model, sources, d);
    for (std::size_t i = 0; i < beams.size(); ++i) {
        d.beam = beams[i];
        const auto found = tfm::decode_sentences(model, sources, d);
        std::size_t errors = 0;
        double tokens = 0.0;
        for (std::size_t s = 0; s < sources.size(); ++s) {
            errors += found[s].log_prob < exact[s].log_prob - 1e-6;
            tokens += double(found[s].tokens.size());
        }
        INFO("beam " << beams[i] << ": " << outcomes[i].search_errors << " search errors, "
                     << outcomes[i].mean_tokens << " tokens on average");
        CHECK(outcomes[i].beam == beams[i]);
        CHECK(outcomes[i].search_errors == errors);
        CHECK(outcomes[i].mean_tokens == Approx(tokens / double(sources.size())).epsilon(1e-12));
    }
    return outcomes;
}
}  // namespace

TEST_CASE("exercise 11.3: search errors and lengths on a model unsure of every token") {
    tfm::EncoderDecoder model = small_model(1.0f);
    const auto o = measured(model);
    // Every token costs about log 5: the most probable output is the shortest there is,
    // `</s>` alone, which greedy search never writes.
    CHECK(o[0].search_errors >= 30);
    CHECK(o[3].search_errors == 0);
    CHECK(o[3].mean_tokens < 0.5);
}

TEST_CASE("exercise 11.3: search errors and lengths on a model sure of itself") {
    tfm::EncoderDecoder model = small_model(3.0f);
    const auto o = measured(model);
    CHECK(o[0].search_errors >= 10);
    CHECK(o[2].search_errors < o[0].search_errors);
    CHECK(o[3].search_errors == 0);
    CHECK(o[3].mean_tokens < o[0].mean_tokens);  // better search, shorter outputs
}
