// Chapter 14: RoPE, RMSNorm, SwiGLU and grouped-query attention against PyTorch written
// from the papers' formulas, and by finite differences; RoPE's relative positions
// numerically; GQA with G = H is chapter 04's attention; the whole modern decoder against
// PyTorch, and with every piece switched back, chapter 12's GPT; equal sizes; the cache
// (rotated keys, shared heads) against recomputing; positions past the context; the loss
// by position; a tiny model learning; configurations and files.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "00_tensors/gradcheck.hpp"
#include "03_attention/masks.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"
#include "07_encoder_decoder/parameter_files.hpp"
#include "08_training/loss.hpp"
#include "12_language_model/lm_training.hpp"
#include "12_language_model/sampling.hpp"
#include "14_modern_decoder/modern_decoder.hpp"
#include "lm_test_helpers.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::check_loss_falls;
using tfm::testing::check_scaled;
using tfm::testing::fixture;
using tfm::testing::load_fixture;
using tfm::testing::tiny_text;
using tfm::testing::TinyText;

namespace {
std::string fixture_dir(const std::string& name) {
    return std::string(TFM_FIXTURES_DIR) + "/ch14/" + name;
}

void check_gradients(const std::vector<GradCheckResult>& results) {
    for (const auto& r : results) {
        INFO(r.report);
        CHECK(r.passed);
    }
}

ModernConfig tiny_config() {
    ModernConfig c;
    c.vocab = 7;
    c.block_size = 8;
    c.n_layer = 2;
    c.n_head = 4;
    c.n_kv_head = 2;
    c.n_embd = 16;
    return c;
}

// Draws every matrix afresh from U(−a, a): the models' own N(0, 0.02) makes attention
// nearly uniform and the differences too small to see much.
void spread(NextTokenModel& model, Rng& rng, float a = 0.3f) {
    for (Parameter* p : model.parameters())
        if (p->value.dimension() >= 2) fill_uniform(p->value, -a, a, rng);
}
}  // namespace

TEST_CASE("RoPE turns pairs as RoFormer's formula does, and its backward is the opposite turn") {
    RotaryEmbedding rope(8);
    Tensor<4> x = load_fixture<4>("ch14", "rope_x");
    const Tensor<4> x0 = x;
    rope.rotate(x, 3);  // rows at positions 3 .. 7
    CHECK_CLOSE(x, load_fixture<4>("ch14", "rope_y"), 1e-6, 1e-5);
    Tensor<4> dx = load_fixture<4>("ch14", "rope_dy");
    rope.rotate(dx, 3, /*inverse=*/true);
    CHECK_CLOSE(dx, load_fixture<4>("ch14", "rope_dx"), 1e-6, 1e-5);
    // Turning back undoes the turn, and lengths never change.
    rope.rotate(x, 3, true);
    CHECK_CLOSE(x, x0, 1e-6, 1e-5);
    Tensor<4> xg = x0;
    const Tensor<4> dy = load_fixture<4>("ch14", "rope_dy");
    auto loss = [&] {
        Tensor<4> y = xg;
        rope.rotate(y, 3);
        return dot_double(y, dy);
    };
    check_gradients({check_gradient("x", xg, dx, loss)});
    CHECK(rope.frequency(0) == 1.0);
    CHECK(rope.frequency(3) == Approx(std::pow(10000.0, -6.0 / 8.0)));
    CHECK_THROWS_AS(RotaryEmbedding(7), std::invalid_argument);
}

TEST_CASE("RoPE: a query at m and a key at n score as at m + s and n + s, for any shift s") {
    const std::size_t K = 16;
    RotaryEmbedding rope(K);
    Rng rng(21);
    Tensor<4> q = xt::zeros<float>({std::size_t(1), std::size_t(1), std::size_t(1), K}), k = q;
    fill_uniform(q, -1, 1, rng);
    fill_uniform(k, -1, 1, rng);
    auto score = [&](std::size_t m, std::size_t n) {
        Tensor<4> qm = q, kn = k;
        rope.rotate(qm, m);
        rope.rotate(kn, n);
        return dot_double(qm, kn);
    };
    for (const std::size_t m : {0, 5, 40})
        for (const std::size_t n : {0, 3, 40}) {
            const double base = score(m, n);
            for (const std::size_t s : {1, 17, 1000, 100000}) {
                INFO("m " << m << ", n " << n << ", shift " << s);
                CHECK(score(m + s, n + s) == Approx(base).margin(1e-4));
            }
        }
    // And it does depend on the distance.
    CHECK(std::abs(score(10, 3) - score(10, 4)) > 1e-3);
    // The cache's layout, [R, 1, H·K] at one position, turns the same way.
    Tensor<3> row = xt::zeros<float>({std::size_t(2), std::size_t(1), 3 * K});
    fill_uniform(row, -1, 1, rng);
    Tensor<4> heads = Tensor<4>::from_shape({std::size_t(2), std::size_t(3), std::size_t(1), K});
    std::copy(row.begin(), row.end(), heads.begin());
    rope.rotate_one(row, 9);
    rope.rotate(heads, 9);
    Tensor<4> row_as_heads = Tensor<4>::from_shape(heads.shape());
    std::copy(row.begin(), row.end(), row_as_heads.begin());
    CHECK_CLOSE(row_as_heads, heads, 1e-6, 1e-6);
}

TEST_CASE("RMSNorm matches the paper's formula in value and gradients, and a zero row is safe") {
    RMSNorm norm(8, "n.");
    norm.weight.value = load_npy_array<float>(fixture("ch14", "rms_weight"));
    Tensor<3> x = load_fixture<3>("ch14", "rms_x");
    CHECK_CLOSE(norm.forward(x), load_fixture<3>("ch14", "rms_y"), 1e-6, 1e-5);
    const Tensor<3> dy = load_fixture<3>("ch14", "rms_dy");
    const Tensor<3> dx = norm.backward(dy);
    CHECK_CLOSE(dx, load_fixture<3>("ch14", "rms_dx"), 1e-6, 1e-4);
    const xt::xarray<float> dweight = norm.weight.grad;
    CHECK_CLOSE(dweight, load_npy_array<float>(fixture("ch14", "rms_dweight")), 1e-6, 1e-4);
    auto loss = [&] { return dot_double(norm.forward(x), dy); };
    check_gradients({check_gradient("x", x, dx, loss),
                     check_gradient("weight", norm.weight.value, dweight, loss)});
    Tensor<3> zeros = xt::zeros<float>({std::size_t(1), std::size_t(1), std::size_t(8)});
    const Tensor<3> y0 = norm.forward(zeros);
    const Tensor<3> d0 = norm.backward(xt::ones<float>({1, 1, 8}));
    CHECK(std::all_of(y0.begin(), y0.end(), [](float v) { return v == 0.0f; }));
    CHECK(std::all_of(d0.begin(), d0.end(), [](float v) { return std::isfinite(v); }));
}

TEST_CASE("SwiGLU matches the paper's formula in value and gradients") {
    Rng rng(1);
    SwiGLU mlp(6, 10, rng, "mlp.");
    mlp.gate_proj.weight.value = load_fixture<2>("ch14", "swiglu_gate");
    mlp.up_proj.weight.value = load_fixture<2>("ch14", "swiglu_up");
    mlp.down_proj.weight.value = load_fixture<2>("ch14", "swiglu_down");
    CHECK(mlp.parameters().size() == 3);
    Tensor<3> x = load_fixture<3>("ch14", "swiglu_x");
    CHECK_CLOSE(mlp.forward(x), load_fixture<3>("ch14", "swiglu_y"), 1e-6, 1e-5);
    const Tensor<3> dy = load_fixture<3>("ch14", "swiglu_dy");
    const Tensor<3> dx = mlp.backward(dy);
    CHECK_CLOSE(dx, load_fixture<3>("ch14", "swiglu_dx"), 1e-6, 1e-4);
    CHECK_CLOSE(mlp.gate_proj.weight.grad, load_fixture<2>("ch14", "swiglu_dgate"), 1e-6, 1e-4);
    CHECK_CLOSE(mlp.up_proj.weight.grad, load_fixture<2>("ch14", "swiglu_dup"), 1e-6, 1e-4);
    CHECK_CLOSE(mlp.down_proj.weight.grad, load_fixture<2>("ch14", "swiglu_ddown"), 1e-6, 1e-4);
    const xt::xarray<float> dgate = mlp.gate_proj.weight.grad;
    auto loss = [&] { return dot_double(mlp.forward(x), dy); };
    check_gradients({check_gradient("x", x, dx, loss),
                     check_gradient("gate", mlp.gate_proj.weight.value, dgate, loss)});
}

TEST_CASE("grouped-query attention with RoPE matches PyTorch's repeated heads, G = 2 and G = 1") {
    for (const std::size_t G : {2, 1}) {
        const std::string n = "gqa" + std::to_string(G) + "_";
        INFO("G = " << G);
        Rng rng(2);
        RotaryEmbedding rope(4);
        GroupedQueryAttention attn(16, 4, G, &rope, rng, "self_attn.");
        attn.q_proj.weight.value = load_fixture<2>("ch14", n + "wq");
        attn.k_proj.weight.value = load_fixture<2>("ch14", n + "wk");
        attn.v_proj.weight.value = load_fixture<2>("ch14", n + "wv");
        attn.o_proj.weight.value = load_fixture<2>("ch14", n + "wo");
        Tensor<3> x = load_fixture<3>("ch14", n + "x");
        CHECK_CLOSE(attn.forward(x), load_fixture<3>("ch14", n + "y"), 1e-5, 1e-4);
        const Tensor<3> dy = load_fixture<3>("ch14", n + "dy");
        const Tensor<3> dx = attn.backward(dy);
        CHECK_CLOSE(dx, load_fixture<3>("ch14", n + "dx"), 1e-5, 1e-4);
        CHECK_CLOSE(attn.q_proj.weight.grad, load_fixture<2>("ch14", n + "dwq"), 1e-5, 1e-4);
        CHECK_CLOSE(attn.k_proj.weight.grad, load_fixture<2>("ch14", n + "dwk"), 1e-5, 1e-4);
        CHECK_CLOSE(attn.v_proj.weight.grad, load_fixture<2>("ch14", n + "dwv"), 1e-5, 1e-4);
        CHECK_CLOSE(attn.o_proj.weight.grad, load_fixture<2>("ch14", n + "dwo"), 1e-5, 1e-4);
        // By finite differences: the input, and a shared key matrix (its gradient summed
        // over the heads of each group).
        const xt::xarray<float> dwk = attn.k_proj.weight.grad;
        auto loss = [&] { return dot_double(attn.forward(x), dy); };
        check_gradients({check_gradient("x", x, dx, loss),
                         check_gradient("k_proj", attn.k_proj.weight.value, dwk, loss)});
    }
    Rng rng(3);
    CHECK_THROWS_AS(GroupedQueryAttention(16, 4, 3, nullptr, rng, ""), std::invalid_argument);
}

TEST_CASE("grouped-query attention with G = H is chapter 04's multi-head attention") {
    const std::size_t B = 2, L = 6, C = 12, H = 3;
    Rng rng(4);
    MultiHeadedAttention mha(H, C, 0.0f, rng, "", /*with_bias=*/false);
    GroupedQueryAttention gqa(C, H, H, nullptr, rng, "");
    Linear* ours[] = {&gqa.q_proj, &gqa.k_proj, &gqa.v_proj, &gqa.o_proj};
    for (int i = 0; i < 4; ++i) ours[i]->weight.value = mha.linears[i].weight.value;
    Tensor<3> x = xt::zeros<float>({B, L, C}), dy = x;
    fill_uniform(x, -1, 1, rng);
    fill_uniform(dy, -1, 1, rng);
    const xt::xtensor<bool, 3> causal = subsequent_mask(L);
    CHECK_CLOSE(gqa.forward(x), mha.forward(x, x, x, causal), 1e-6, 1e-5);
    const MultiHeadGrads g = mha.backward(dy);
    const Tensor<3> dx = g.dquery_BLC + g.dkey_BMC + g.dvalue_BMC;
    CHECK_CLOSE(gqa.backward(dy), dx, 1e-6, 1e-4);
    for (int i = 0; i < 4; ++i)
        CHECK_CLOSE(ours[i]->weight.grad, mha.linears[i].weight.grad, 1e-6, 1e-4);
}

TEST_CASE("the modern decoder matches a PyTorch model with the same weights: logits, loss, grads") {
    for (const char* name : {"modern_a", "modern_b"}) {
        INFO(name);
        std::ifstream in(fixture_dir(std::string(name) + "_config.json"));
        const std::string text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        ModernDecoder model(ModernConfig::from_json(text, name), 0);
        read_parameter_files(fixture_dir(std::string(name) + "_params"), model.parameters());
        const auto idx = load_npy<std::int64_t, 2>(fixture("ch14", std::string(name) + "_idx"));
        const auto targets =
            load_npy<std::int64_t, 2>(fixture("ch14", std::string(name) + "_targets"));
        Tensor<3> z = model.forward(idx);
        check_scaled(z, load_fixture<3>("ch14", std::string(name) + "_logits"), 1e-4);
        LabelSmoothing ce(model.vocab(), -1, 0.0f);
        const float scale = 1.0f / float(idx.size());
        const double loss = ce.forward_backward_logits(z, targets, scale) * scale;
        CHECK(loss == Approx(load_npy<float, 1>(fixture("ch14", std::string(name) + "_loss"))(0))
                          .epsilon(1e-5));
        model.backward(z);
        for (Parameter* p : model.parameters()) {
            INFO(p->name);
            check_scaled(p->grad, load_npy_array<float>(fixture_dir(std::string(name) + "_grads/" +
                                                                    p->name + ".npy")));
        }
    }
}

TEST_CASE("with every piece switched back, the modern decoder is chapter 12's GPT") {
    GPTConfig g;
    g.vocab = 7;
    g.block_size = 8;
    g.n_layer = 2;
    g.n_head = 2;
    g.n_embd = 8;
    GPT gpt(g, 5);
    Rng rng(5);
    spread(gpt, rng);
    ModernDecoder modern = modern_from_gpt(gpt);
    CHECK(count_scalars(modern.parameters()) == count_scalars(gpt.parameters()));
    CHECK(modern.config().parameter_count() == count_scalars(gpt.parameters()));
    const xt::xtensor<std::int64_t, 2> ids = {{1, 2, 3, 1, 4, 0}, {5, 5, 6, 0, 2, 3}};
    const Tensor<3> z = gpt.forward(ids);
    CHECK_CLOSE(modern.forward(ids), z, 1e-6, 1e-5);
    gpt.backward(z);
    modern.backward(z);
    const ParameterList a = gpt.parameters(), b = modern.parameters();
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(a[i]->name << " / " << b[i]->name);
        CHECK_CLOSE(b[i]->grad, a[i]->grad, 1e-6, 1e-4);
    }
    g.bias = true;
    GPT with_bias(g, 5);
    CHECK_THROWS_AS(modern_from_gpt(with_bias), std::invalid_argument);
}

TEST_CASE("equal size: the feed-forward width makes up what the other pieces leave") {
    ModernConfig c;  // chapter 12's run: V = 65, context 64, N = 4, H = 4, C = 128; G = 2
    CHECK(c.gpt_parameter_count() == 804096);
    CHECK(c.hidden() == 389);
    CHECK(std::abs(double(c.parameter_count()) - 804096.0) / 804096.0 < 1e-3);
    CHECK(count_scalars(ModernDecoder(c, 0).parameters()) == c.parameter_count());
    // SwiGLU with G = H and a position table: 2/3 · 4C, to the nearest whole number.
    c.n_kv_head = 4;
    c.position = "learned";
    CHECK(c.hidden() == 341);
    c.ffn_hidden = 100;  // given, it is used as given
    CHECK(c.hidden() == 100);
}

TEST_CASE("the cache keeps rotated keys and shared heads: cached sampling is recomputing") {
    ModernConfig c = tiny_config();
    ModernDecoder model(c, 6);
    Rng rng(6);
    spread(model, rng);
    // Step by step, the cache's logits are the full forward's at each position.
    const xt::xtensor<std::int64_t, 2> ids = {{1, 2, 3, 4, 5, 6, 0}};
    const Tensor<3> all = model.forward(ids);
    const std::unique_ptr<TokenCache> cache = model.make_cache(1);
    for (std::size_t t = 0; t < ids.shape()[1]; ++t) {
        const Tensor<2> step = cache->step({ids(0, t)});
        for (std::size_t v = 0; v < c.vocab; ++v)
            CHECK(step(0, v) == Approx(all(0, t, v)).margin(1e-5));
    }
    // Keys and values of G = 2 heads of K = 4, for 8 positions and 2 blocks, in float32.
    CHECK(cache->bytes() == 2 * 2 * 2 * 8 * 4 * sizeof(float));
    CHECK(cache->capacity() == 8);
    // Another number of rows, and a step past its room, are clear errors; reset() starts
    // again at position 0.
    CHECK_THROWS_WITH(cache->step({1, 2}), "ModernCache: one token per row (1), got 2");
    cache->step({1});  // position 7, the last
    CHECK_THROWS_WITH(cache->step({1}), "ModernCache: position 8 is past its room for 8 positions");
    cache->reset();
    CHECK(cache->length() == 0);
    CHECK(cache->step({ids(0, 0)})(0, 2) == Approx(all(0, 0, 2)).margin(1e-5));
    // 40 characters with a context of 8: the window restarts several times; the cached and
    // the recomputing sampler draw the same characters from the same seed.
    SampleOptions with, without;
    without.cache = false;
    Rng r1(3), r2(3);
    CHECK(generate(model, {1, 2, 3}, 40, with, r1) == generate(model, {1, 2, 3}, 40, without, r2));
}

TEST_CASE("RoPE reads past the training context, and learned positions refuse to") {
    ModernConfig c = tiny_config();
    ModernDecoder rope(c, 7);
    const xt::xtensor<std::int64_t, 2> long_ids = xt::zeros<std::int64_t>({1, 24});
    CHECK(rope.forward(long_ids).shape()[1] == 24);
    c.position = "learned";
    ModernDecoder learned(c, 7);
    CHECK_THROWS_AS(learned.forward(long_ids), std::length_error);
}

TEST_CASE("the loss by position is the cross-entropy of every window, position by position") {
    ModernDecoder model(tiny_config(), 8);
    Rng rng(8);
    spread(model, rng);
    std::vector<std::int64_t> data(53);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::int64_t((i * 5 + i / 3) % 7);
    const PositionLosses p = loss_by_position(model, data, 12, 2);
    REQUIRE(p.windows == 4);  // (53 − 1) / 12
    // The same windows as one batch, through the training loss.
    xt::xtensor<std::int64_t, 2> in = xt::zeros<std::int64_t>({4, 12}), out = in;
    for (std::size_t w = 0; w < 4; ++w)
        for (std::size_t l = 0; l < 12; ++l) {
            in(w, l) = data[w * 12 + l];
            out(w, l) = data[w * 12 + l + 1];
        }
    Tensor<3> z = model.forward(in);
    LabelSmoothing ce(7, -1, 0.0f);
    CHECK(p.mean() == Approx(ce.forward_backward_logits(z, out, 0.0f) / 48.0).epsilon(1e-5));
    CHECK_THROWS_AS(loss_by_position(model, data, 60, 2), std::invalid_argument);
}

TEST_CASE("a tiny modern decoder's loss falls on a tiny text in seconds", "[learning]") {
    const TinyText text = tiny_text();
    ModernConfig c = tiny_config();
    c.vocab = text.vocabulary.size();
    c.block_size = 16;
    c.n_embd = 32;
    ModernDecoder model(c, 4);
    check_loss_falls(model, text.split);
}

TEST_CASE("the tied table's gradient through the whole modern decoder passes the gradient check") {
    ModernDecoder model(tiny_config(), 9);
    Rng rng(9);
    spread(model, rng);
    const xt::xtensor<std::int64_t, 2> ids = {{1, 2, 3, 1, 4}, {5, 5, 6, 0, 2}};
    Tensor<3> w = xt::zeros<float>({2, 5, 7});
    fill_uniform(w, -1, 1, rng);
    auto loss = [&] { return dot_double(model.forward(ids), w); };
    loss();
    model.backward(w);
    // Through a whole model in float32 a difference is noisy at about 1e-4, so small
    // gradients are judged by their absolute error (floor 2e-2: up to 2e-4, twice the
    // noise, where a missing or wrong term is off by far more). The step is 1e-2 for
    // weights of about 0.3 and 3e-2 for a gain of about 1, whose gradient is small. The
    // tied table is the most curved — each entry acts at the input and again at the
    // output — so its difference at 1e-2 is off by its truncation error (1e-4 even after
    // Richardson's extrapolation) and it takes 5e-3, where the two errors are of a size and
    // its worst element agrees to 0.4%.
    GradCheckOptions options;
    options.floor = 2e-2;
    const std::pair<const char*, double> checks[] = {
        {"model.embed_tokens.weight", 5e-3},
        {"model.layers.0.self_attn.k_proj.weight", 1e-2},
        {"model.layers.1.mlp.gate_proj.weight", 1e-2},
        {"model.layers.0.input_layernorm.weight", 3e-2}};
    for (const auto& [name, step] : checks) {
        Parameter& p = find_parameter(model.parameters(), name);
        const xt::xarray<float> analytic = p.grad;
        options.step = step;
        check_gradients({check_gradient(name, p.value, analytic, loss, options)});
    }
}

TEST_CASE("configurations: checked, read strictly, and a saved model loads to the same logits") {
    ModernConfig c = tiny_config();
    c.n_kv_head = 3;
    CHECK_THROWS_WITH(c.validate(), Catch::Contains("n_kv_head = 3 must divide n_head = 4"));
    c = tiny_config();
    c.n_head = 16;  // heads of one channel: no pair to turn
    CHECK_THROWS_WITH(c.validate(), Catch::Contains("must be even"));
    c.position = "learned";
    CHECK_NOTHROW(c.validate());
    c.norm = "batch";
    CHECK_THROWS_WITH(c.validate(), Catch::Contains("norm must be one of"));
    CHECK_THROWS_AS(ModernConfig::from_json("{\"vocab\": 7}", "config.json"), CheckpointError);
    CHECK(ModernConfig::from_json(tiny_config().to_json(), "config.json") == tiny_config());

    const ScratchDirectory dir("ch14");
    ModernDecoder model(tiny_config(), 10);
    save_modern_decoder(dir / "model", model);
    ModernDecoder loaded = load_modern_decoder(dir / "model");
    const xt::xtensor<std::int64_t, 2> ids = {{1, 2, 3}};
    CHECK((loaded.forward(ids) == model.forward(ids)));
}
