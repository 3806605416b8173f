// Chapter 11: the cached decoder equals recomputing (PyTorch-checked models and random
// ones with padding), beam search against exhaustive enumeration, beam 1 = greedy,
// cached and uncached searches agree, the attention maps are the model's weights, a
// search's trace adds up to its result, and an inspection holds what the page shows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

#include "00_tensors/npy.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "10_translation/translation_run.hpp"
#include "10_translation/translator.hpp"
#include "11_decoding/decoding.hpp"
#include "11_decoding/incremental.hpp"
#include "11_decoding/inspection.hpp"
#include "11_decoding/kv_cache.hpp"
#include "11_decoding/search.hpp"
#include "test_helpers.hpp"

using namespace tfm;

namespace {
ModelConfig random_config(std::size_t vocab) {
    ModelConfig c = small_config(vocab, 2, 16, 32, 4);
    c.dropout = 0.1f;  // decoding runs in evaluation mode: dropout must not reach it
    return c;
}

// Steps both decoders through the same tokens and returns the largest difference of a
// log-probability; `choose` picks the next tokens from the cached decoder's output.
double compare_steps(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src,
                     std::int64_t pad, std::size_t steps, std::int64_t start) {
    CachedDecoder cached(model, src, pad, 4);  // small capacity: growing is tested too
    RecomputingDecoder recomputing(model, src, pad);
    std::vector<std::int64_t> tokens(src.shape()[0], start);
    double worst = 0.0;
    for (std::size_t t = 0; t < steps; ++t) {
        const Tensor<2> a = cached.step(tokens), b = recomputing.step(tokens);
        REQUIRE(a.shape() == b.shape());
        for (std::size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, double(std::abs(a.data()[i] - b.data()[i])));
        for (std::size_t r = 0; r < tokens.size(); ++r) {  // greedy: the same tokens on both sides
            const float* row = &a(r, 0);
            tokens[r] = std::int64_t(std::max_element(row, row + a.shape()[1]) - row);
        }
    }
    return worst;
}

// A tiny untrained translator on chapter 10's code: enough to check the plumbing.
Translator tiny_translator(std::uint64_t seed) {
    ParallelText train;
    train.src = {"a b c .", "b c a .", "c a b ."};
    train.tgt = {"x y z .", "y z x .", "z x y ."};
    const Codecs codecs = build_codecs(train, false, 1);
    return Translator{EncoderDecoder(random_config(codecs.src->vocab_size()), seed), codecs, 64};
}
}  // namespace

TEST_CASE(
    "the cached decoder's log-probabilities equal recomputing every prefix: PyTorch-checked "
    "models") {
    for (const char* name : {"small", "h3"}) {
        INFO(name);
        EncoderDecoder model =
            load_checkpoint(std::string(TFM_FIXTURES_DIR) + "/ch07/" + name + "_checkpoint");
        const auto src =
            load_npy<std::int64_t, 2>(testing::fixture("ch07", std::string(name) + "_src"));
        CHECK(compare_steps(model, src, 0, 9, 1) <= 1e-5);
    }
}

TEST_CASE(
    "the cached decoder equals recomputing on random models with padding, and through select") {
    for (std::uint64_t seed : {1, 2, 3}) {
        EncoderDecoder model(random_config(17), seed);
        const xt::xtensor<std::int64_t, 2> src = {
            {0, 5, 6, 7, 8, 9, 1}, {0, 4, 1, 2, 2, 2, 2}, {0, 11, 12, 13, 1, 2, 2}};
        CHECK(compare_steps(model, src, 2, 10, 0) <= 1e-5);
    }
    // select() reorders, repeats and drops rows; the caches follow.
    EncoderDecoder model(random_config(17), 4);
    const xt::xtensor<std::int64_t, 2> src = {{0, 5, 6, 1}, {0, 7, 1, 2}};
    CachedDecoder cached(model, src, 2);
    RecomputingDecoder recomputing(model, src, 2);
    cached.step({0, 0});
    recomputing.step({0, 0});
    cached.step({5, 9});
    recomputing.step({5, 9});
    cached.select({1, 0, 1});
    recomputing.select({1, 0, 1});
    CHECK(cached.sources() == std::vector<std::size_t>{1, 0, 1});
    const Tensor<2> a = cached.step({3, 4, 6}), b = recomputing.step({3, 4, 6});
    CHECK_CLOSE(a, b, 1e-5, 0.0);
    CHECK(cached.self_cache_bytes() == 3 * 2 * 2 * 3 * 16 * sizeof(float));  // R·N·2·L·C floats
    CHECK(cached.memory_cache_bytes() == 3 * 2 * 2 * 4 * 16 * sizeof(float));  // R·N·2·M·C floats
    CHECK_THROWS_AS(cached.select({5}), std::out_of_range);
    CHECK_THROWS_AS(cached.step({1}), ShapeError);
    CHECK_THROWS_AS(cached.step({1, 2, 99}), std::out_of_range);
}

TEST_CASE("attend_one with shared key/value heads equals the cache with each head repeated") {
    // 4 query heads over 2 key/value heads: query heads 0, 1 read head 0, and 2, 3 head 1.
    const std::size_t R = 2, H = 2, M = 5, K = 3, Hq = 4;
    Rng rng(11);
    Tensor<4> k = xt::zeros<float>({R, H, M, K}), v = xt::zeros<float>({R, H, M, K});
    Tensor<3> q = xt::zeros<float>({R, std::size_t(1), Hq * K});
    fill_uniform(k, -1, 1, rng);
    fill_uniform(v, -1, 1, rng);
    fill_uniform(q, -1, 1, rng);
    Tensor<4> k_repeated = Tensor<4>::from_shape({R, Hq, M, K}), v_repeated = k_repeated;
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t h = 0; h < Hq; ++h)
            for (std::size_t j = 0; j < M; ++j)
                for (std::size_t i = 0; i < K; ++i) {
                    k_repeated(r, h, j, i) = k(r, h / 2, j, i);
                    v_repeated(r, h, j, i) = v(r, h / 2, j, i);
                }
    CHECK_CLOSE(attend_one(q, k, v, 4, nullptr), attend_one(q, k_repeated, v_repeated, 4, nullptr),
                0.0, 0.0);
    // 3 query heads cannot share 2 key/value heads; nor can m exceed the cache.
    CHECK_THROWS_AS(attend_one(xt::zeros<float>({R, std::size_t(1), 3 * K}), k, v, 4, nullptr),
                    ShapeError);
    CHECK_THROWS_AS(attend_one(q, k, v, M + 1, nullptr), ShapeError);
}

TEST_CASE("cached greedy search gives chapter 10's greedy tokens") {
    EncoderDecoder model(random_config(23), 5);
    const std::vector<std::vector<std::int64_t>> sources = {
        {5, 6, 7}, {8}, {9, 10, 11, 12, 13}, {14, 15}};
    const auto reference = greedy_translate(model, sources, 4096, 6);
    DecodeOptions d;
    d.extra = 6;
    for (bool cache : {true, false}) {
        d.cache = cache;
        const std::vector<Hypothesis> found = decode_sentences(model, sources, d);
        for (std::size_t i = 0; i < sources.size(); ++i) CHECK(found[i].tokens == reference[i]);
    }
}

TEST_CASE("GNMT's length penalty") {
    CHECK(length_penalty(1, 0.6) == Approx(1.0));
    CHECK(length_penalty(7, 0.6) == Approx(std::pow(2.0, 0.6)));
    CHECK(length_penalty(20, 0.0) == 1.0);
}

namespace {
// A decoder whose rows all prefer token 2 (never </s>) and which, like the model's,
// cannot be stepped past its positions: here 6.
class EndlessDecoder : public StepDecoder {
public:
    explicit EndlessDecoder(std::size_t rows) : sources_(rows) {
        for (std::size_t r = 0; r < rows; ++r) sources_[r] = r;
    }
    std::size_t rows() const override { return sources_.size(); }
    std::size_t length() const override { return length_; }
    const std::vector<std::size_t>& sources() const override { return sources_; }
    Tensor<2> step(const std::vector<std::int64_t>&) override {
        if (length_ + 1 > max_length()) throw std::length_error("step: past the positions");
        ++length_;
        Tensor<2> logp_RV = xt::full_like(Tensor<2>::from_shape({rows(), 4}), std::log(0.1f));
        for (std::size_t r = 0; r < rows(); ++r) logp_RV(r, 2) = std::log(0.7f);
        return logp_RV;
    }
    void select(const std::vector<std::size_t>& keep) override {
        std::vector<std::size_t> kept;
        for (std::size_t r : keep) kept.push_back(sources_[r]);
        sources_ = kept;
    }
    std::size_t max_length() const override { return 6; }

private:
    std::vector<std::size_t> sources_;
    std::size_t length_ = 0;
};
}  // namespace

TEST_CASE("a search stops where its output, read back after <s>, still fits the positions") {
    for (std::size_t beam : {0, 1, 3}) {  // 0: greedy
        INFO("beam " << beam);
        EndlessDecoder decoder(2);
        const std::vector<std::size_t> sources = {100, 3};  // + 50 would pass position 6
        const auto out =
            beam == 0 ? greedy_search(decoder, sources) : beam_search(decoder, sources, beam, 0.6);
        CHECK(out[0].tokens.size() == 5);  // <s> and 5 tokens: the 6 positions
        CHECK(out[1].tokens.size() == 5);  // 3 + 50 is past it too
    }
    CHECK(max_output_tokens(3, 50, 5000) == 53);
    CHECK(max_output_tokens(4990, 50, 5000) == 4999);
}

TEST_CASE("beam size 1 without a length penalty is greedy search") {
    EncoderDecoder model(random_config(19), 6);
    const xt::xtensor<std::int64_t, 2> src = {{0, 5, 6, 7, 1}, {0, 8, 9, 1, 2}};
    SearchLimits limits;
    limits.extra = 8;
    CachedDecoder a(model, src, 2), b(model, src, 2);
    const auto greedy = greedy_search(a, {3, 2}, limits);
    const auto beam = beam_search(b, {3, 2}, 1, 0.0, limits);
    for (std::size_t s = 0; s < 2; ++s) {
        CHECK(beam[s].tokens == greedy[s].tokens);
        CHECK(beam[s].log_prob == Approx(greedy[s].log_prob).epsilon(1e-6));
    }
}

TEST_CASE(
    "with a beam as wide as all hypotheses, beam search finds the best one exhaustive search "
    "finds") {
    // Vocabulary of 5 (</s> is 1), outputs of at most 3 tokens: 1 + 4 + 4·4·5 = 85 hypotheses.
    EncoderDecoder model(random_config(5), 7);
    const xt::xtensor<std::int64_t, 2> src = {{0, 3, 4, 1}};
    SearchLimits limits;
    limits.extra = 1;  // source length 2 + 1 = at most 3 tokens
    // log P of one output sequence, token by token.
    auto log_prob = [&](const std::vector<std::int64_t>& y) {
        RecomputingDecoder d(model, src, 2);
        std::int64_t previous = 0;
        double total = 0.0;
        for (std::int64_t token : y) {
            total += d.step({previous})(0, std::size_t(token));
            previous = token;
        }
        return total;
    };
    for (double alpha : {0.0, 0.6, 2.0}) {
        INFO("alpha " << alpha);
        double best_score = -1e30;
        std::vector<std::int64_t> best;
        std::size_t count = 0;
        std::function<void(std::vector<std::int64_t>)> enumerate =
            [&](std::vector<std::int64_t> prefix) {
                for (std::int64_t v = 0; v < 5; ++v) {
                    std::vector<std::int64_t> y = prefix;
                    y.push_back(v);
                    if (v == 1 || y.size() == 3) {  // finished: </s>, or the length limit
                        ++count;
                        const double score = log_prob(y) / length_penalty(y.size(), alpha);
                        if (score > best_score) {
                            best_score = score;
                            best = y;
                            if (v == 1) best.pop_back();
                        }
                    } else {
                        enumerate(y);
                    }
                }
            };
        enumerate({});
        REQUIRE(count == 85);
        CachedDecoder d(model, src, 2);
        const Hypothesis found = beam_search(d, {2}, 85, alpha, limits)[0];
        CHECK(found.tokens == best);
        CHECK(found.score == Approx(best_score).epsilon(1e-5));
    }
}

TEST_CASE("cached and recomputing beam searches agree") {
    EncoderDecoder model(random_config(21), 8);
    const std::vector<std::vector<std::int64_t>> sources = {{5, 6, 7}, {8}, {9, 10, 11, 12, 13}};
    DecodeOptions d;
    d.beam = 4;
    d.extra = 7;
    const auto cached = decode_sentences(model, sources, d);
    d.cache = false;
    const auto recomputed = decode_sentences(model, sources, d);
    for (std::size_t i = 0; i < sources.size(); ++i) {
        CHECK(cached[i].tokens == recomputed[i].tokens);
        CHECK(cached[i].score == Approx(recomputed[i].score).epsilon(1e-5));
    }
}

TEST_CASE("the attention maps are the model's weights, with a label for every row and column") {
    Translator translator = tiny_translator(9);
    const AttentionMaps maps = attention_maps(translator, "a b c .");
    REQUIRE(maps.encoder_self.size() == 2);
    REQUIRE(maps.source_tokens.size() == 6);  // <s> a b c . </s>
    CHECK(maps.source_tokens.front() == "<s>");
    CHECK(maps.target_tokens.front() == "<s>");
    const std::size_t M = maps.source_tokens.size(), L = maps.target_tokens.size();
    for (std::size_t l = 0; l < 2; ++l) {
        CHECK(maps.encoder_self[l].shape() == std::array<std::size_t, 3>{4, M, M});
        CHECK(maps.decoder_self[l].shape() == std::array<std::size_t, 3>{4, L, L});
        CHECK(maps.decoder_cross[l].shape() == std::array<std::size_t, 3>{4, L, M});
        for (std::size_t h = 0; h < 4; ++h)
            for (std::size_t i = 0; i < L; ++i) {
                double row = 0.0;
                for (std::size_t j = 0; j < M; ++j) row += maps.decoder_cross[l](h, i, j);
                CHECK(row == Approx(1.0).epsilon(1e-5));
                for (std::size_t j = i + 1; j < L; ++j)
                    CHECK(maps.decoder_self[l](h, i, j) == 0.0f);  // causal
            }
    }
    // They are exactly what the last layer's module holds after the forward pass.
    const auto& w = translator.model.decoder_layers[1].src_attn.attention_weights();
    for (std::size_t i = 0; i < L; ++i) CHECK(maps.decoder_cross[1](2, i, 3) == w(0, 2, i, 3));
}

TEST_CASE("a traced search returns what an untraced one does, and its trace adds up") {
    EncoderDecoder model(random_config(21), 10);
    const std::vector<std::vector<std::int64_t>> sources = {{5, 6, 7}, {8}, {9, 10, 11, 12}};
    for (const std::size_t beam : {std::size_t(1), std::size_t(3)}) {
        INFO("beam " << beam);
        DecodeOptions d;
        d.beam = beam;
        d.alpha = 0.6;
        d.extra = 6;
        const SourceBatch batch = pad_sources(sources, {0, 1, 2});
        SearchTrace trace;
        const std::vector<Hypothesis> traced = decode_batch(model, batch, d, &trace);
        const std::vector<Hypothesis> plain = decode_batch(model, batch, d);
        REQUIRE(trace.size() == sources.size());
        for (std::size_t s = 0; s < sources.size(); ++s) {
            CHECK(traced[s].tokens == plain[s].tokens);
            CHECK(traced[s].score == plain[s].score);
            REQUIRE(!trace[s].empty());
            const Hypothesis* best = nullptr;
            for (std::size_t t = 0; t < trace[s].size(); ++t) {
                const SearchStep& step = trace[s][t];
                CHECK(step.open.size() <= beam);
                for (const Hypothesis& h : step.open) {
                    // After step t (from 0) an open hypothesis holds t + 1 tokens, extends
                    // one open at the step before, and is scored log P / lp(its length).
                    CHECK(h.tokens.size() == t + 1);
                    const double lp = beam == 1 ? 1.0 : length_penalty(t + 1, d.alpha);
                    CHECK(h.score == Approx(h.log_prob / lp).epsilon(1e-12));
                    if (t > 0) {
                        const auto& before = trace[s][t - 1].open;
                        const bool extends =
                            std::any_of(before.begin(), before.end(), [&](const Hypothesis& p) {
                                return std::equal(p.tokens.begin(), p.tokens.end(),
                                                  h.tokens.begin()) &&
                                       p.log_prob >= h.log_prob;
                            });
                        CHECK(extends);
                    }
                }
                for (const Hypothesis& h : step.finished)
                    if (best == nullptr || h.score > best->score) best = &h;
            }
            // The result is the best finished hypothesis of the whole trace.
            REQUIRE(best != nullptr);
            CHECK(best->tokens == traced[s].tokens);
            CHECK(best->score == traced[s].score);
            // The last step leaves nothing open.
            CHECK(trace[s].back().open.empty());
        }
    }
}

TEST_CASE(
    "an inspection holds translate's translation, its search, the next-token probabilities "
    "and the attention maps, and its JSON has every map") {
    Translator translator = tiny_translator(11);
    const std::string sentence = "a c b .";
    for (const std::size_t beam : {std::size_t(1), std::size_t(3)}) {
        INFO("beam " << beam);
        DecodeOptions d;
        d.beam = beam;
        d.extra = 5;
        const Inspection in = inspect_translation(translator, sentence, d, 3);
        CHECK(in.translation == translate_with(translator, {sentence}, d)[0]);
        CHECK(in.max_tokens == 4 + 5);
        CHECK(in.wrote_end == (in.best.tokens.size() < in.max_tokens));
        // One row of next tokens per position the decoder reads: <s> and each output token.
        const std::size_t L = in.best.tokens.size() + 1;
        REQUIRE(in.next_tokens.size() == L);
        REQUIRE(in.maps.target_tokens.size() == L);
        const AttentionMaps maps =
            attention_maps(translator, translator.codecs.src->encode(sentence), in.best.tokens);
        for (std::size_t i = 0; i < L; ++i) {
            REQUIRE(in.next_tokens[i].size() == 3);
            for (std::size_t j = 0; j < 3; ++j) {
                const TokenProbability& t = in.next_tokens[i][j];
                CHECK(t.probability ==
                      Approx(std::exp(maps.next_log_probs(i, std::size_t(t.id)))).epsilon(1e-6));
                CHECK(t.token == translator.codecs.tgt->token_text(t.id));
                if (j > 0) CHECK(t.probability <= in.next_tokens[i][j - 1].probability);
            }
            // What was written there, and its probability; greedy writes the most probable
            // token at every position (and </s> at the end).
            if (i + 1 < L || in.wrote_end) {
                REQUIRE(i < in.written.size());
                const std::int64_t written = i + 1 < L ? in.best.tokens[i] : kEos;
                CHECK(in.written[i].id == written);
                CHECK(in.written[i].probability ==
                      Approx(std::exp(maps.next_log_probs(i, std::size_t(written)))).epsilon(1e-6));
                if (beam == 1) CHECK(in.next_tokens[i][0].id == written);
            }
        }
        const nlohmann::json j = inspection_json(in, *translator.codecs.tgt);
        CHECK(j.at("translation") == in.translation);
        CHECK(j.at("steps").size() == in.steps.size());
        CHECK(j.at("next_tokens").size() == L);
        CHECK(j.at("written").size() == in.written.size());
        CHECK(in.written.size() == (in.wrote_end ? L : L - 1));
        const std::size_t M = in.maps.source_tokens.size();
        for (const char* kind : {"encoder", "decoder", "cross"}) {
            const nlohmann::json& layers = j.at("attention").at(kind);
            REQUIRE(layers.size() == 2);
            const std::size_t rows = std::string(kind) == "encoder" ? M : L;
            const std::size_t cols = std::string(kind) == "cross" ? M : rows;
            REQUIRE(layers[1].size() == 4);
            REQUIRE(layers[1][3].size() == rows);
            REQUIRE(layers[1][3][0].size() == cols);
        }
        // The JSON's weights are the maps', to the 7 decimals it keeps.
        for (std::size_t h = 0; h < 4; ++h)
            for (std::size_t r = 0; r < L; ++r)
                for (std::size_t c = 0; c < M; ++c) {
                    CHECK(j["attention"]["cross"][1][h][r][c].get<double>() ==
                          Approx(maps.decoder_cross[1](h, r, c)).margin(1e-7));
                }
    }
}
