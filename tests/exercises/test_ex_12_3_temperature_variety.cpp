// Tests for exercise 12.3 — temperature against variety, measured.
#include <catch2/catch.hpp>

#include <set>

#include "12_language_model/exercises/exercises.hpp"
#include "12_language_model/sampling.hpp"
#include "exercises/shakespeare_start.hpp"

using tfm::exercises::distinct_ngrams_by_temperature;

TEST_CASE("exercise 12.3: the variety of samples at each temperature is the sampler's own") {
    // A small model trained briefly on the first 100,000 characters of Tiny Shakespeare.
    const auto [vocabulary, split] = tfm::testing::shakespeare_start();
    tfm::GPTConfig c;
    c.vocab = vocabulary.size();
    c.block_size = 32;
    c.n_layer = 2;
    c.n_head = 2;
    c.n_embd = 48;
    tfm::GPT model(c, 12);
    tfm::train_language_model(model, tfm::testing::short_run(300), split.train, split.val);

    const std::vector<std::int64_t> prompt = vocabulary.encode("ROMEO:\n");
    const std::vector<double> temperatures = {0.0, 0.5, 1.0, 1.5};
    const std::size_t count = 400, n = 3;
    const auto variety = distinct_ngrams_by_temperature(model, prompt, count, n, temperatures, 5);
    REQUIRE(variety.size() == temperatures.size());
    for (std::size_t i = 0; i < temperatures.size(); ++i) {
        // Ground truth: the same sample, drawn and counted here.
        tfm::SampleOptions s;
        s.temperature = temperatures[i];
        tfm::Rng rng(5);
        const auto sample = tfm::generate(model, prompt, count, s, rng);
        std::set<std::vector<std::int64_t>> distinct;
        for (std::size_t j = 0; j + n <= sample.size(); ++j)
            distinct.emplace(sample.begin() + long(j), sample.begin() + long(j + n));
        INFO("temperature " << temperatures[i] << ": " << variety[i]
                            << " distinct; sample: " << vocabulary.decode(sample).substr(0, 80));
        CHECK(variety[i] == Approx(double(distinct.size()) / double(count - n + 1)).epsilon(1e-12));
    }
    // What it shows: greedy sampling repeats itself, and variety grows with the temperature.
    CHECK(variety[0] < 0.5);
    CHECK(variety[0] < variety[1]);
    CHECK(variety[1] < variety[2]);
    CHECK(variety[2] < variety[3]);
}
