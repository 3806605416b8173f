// Chapter 12: GELU, the standard LayerNorm, AdamW and the cosine schedule against
// PyTorch; the whole GPT against a PyTorch model with the same weights (logits, loss and
// every gradient); the causal mask; the tied table's gradient by finite differences;
// learning a tiny text; sampling (temperature 0 is greedy, top-k, cache = no cache).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "00_tensors/gradcheck.hpp"
#include "07_encoder_decoder/parameter_files.hpp"
#include "08_training/loss.hpp"
#include "08_training/train.hpp"
#include "12_language_model/char_text.hpp"
#include "12_language_model/gpt.hpp"
#include "12_language_model/lm_training.hpp"
#include "12_language_model/sampling.hpp"
#include "fuzz_helpers.hpp"
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
    return std::string(TFM_FIXTURES_DIR) + "/ch12/" + name;
}

GPTConfig fixture_config(const std::string& name) {
    std::ifstream in(fixture_dir(name + "_config.json"));
    const nlohmann::json j = nlohmann::json::parse(in);
    GPTConfig c;
    c.vocab = j.at("V");
    c.block_size = j.at("T");
    c.n_layer = j.at("n_layer");
    c.n_head = j.at("n_head");
    c.n_embd = j.at("n_embd");
    c.bias = j.at("bias");
    return c;
}

GPTConfig tiny_config() {
    GPTConfig c;
    c.vocab = 7;
    c.block_size = 8;
    c.n_layer = 2;
    c.n_head = 2;
    c.n_embd = 8;
    return c;
}
}  // namespace

TEST_CASE("GELU and its backward match PyTorch's nn.GELU, and pass the gradient check") {
    auto as_3d = [](const std::string& name) {
        const auto m = load_fixture<2>("ch12", name);
        Tensor<3> t = Tensor<3>::from_shape({1, m.shape()[0], m.shape()[1]});
        std::copy(m.begin(), m.end(), t.begin());
        return t;
    };
    Tensor<3> x = as_3d("gelu_x");
    CHECK_CLOSE(gelu(x), as_3d("gelu_y"), 1e-6, 1e-5);
    const Tensor<3> dy = as_3d("gelu_dy");
    CHECK_CLOSE(gelu_backward(x, dy), as_3d("gelu_dx"), 1e-6, 1e-5);
    auto loss = [&] { return dot_double(gelu(x), dy); };
    const auto r = check_gradient("x", x, gelu_backward(x, dy), loss);
    INFO(r.report);
    CHECK(r.passed);
}

TEST_CASE("the standard LayerNorm matches nn.LayerNorm in value and gradients") {
    StandardLayerNorm norm(8, "ln.");
    norm.weight.value = load_npy_array<float>(fixture("ch12", "ln_weight"));
    norm.bias.value = load_npy_array<float>(fixture("ch12", "ln_bias"));
    const auto x = load_fixture<3>("ch12", "ln_x");
    CHECK_CLOSE(norm.forward(x), load_fixture<3>("ch12", "ln_y"), 1e-5, 1e-5);
    const auto dx = norm.backward(load_fixture<3>("ch12", "ln_dy"));
    CHECK_CLOSE(dx, load_fixture<3>("ch12", "ln_dx"), 1e-5, 1e-4);
    CHECK_CLOSE(norm.weight.grad, load_npy_array<float>(fixture("ch12", "ln_dweight")), 1e-5, 1e-4);
    CHECK_CLOSE(norm.bias.grad, load_npy_array<float>(fixture("ch12", "ln_dbias")), 1e-5, 1e-4);
    // Without a bias: the same normalisation, no bias parameter, and the same dx.
    StandardLayerNorm plain(8, "ln.", false);
    plain.weight.value = norm.weight.value;
    const Tensor<3> expected = load_fixture<3>("ch12", "ln_y") - norm.bias.value;
    CHECK_CLOSE(plain.forward(x), expected, 1e-5, 1e-5);
    CHECK(plain.parameters().size() == 1);
    CHECK_CLOSE(plain.backward(load_fixture<3>("ch12", "ln_dy")), load_fixture<3>("ch12", "ln_dx"),
                1e-5, 1e-4);
}

TEST_CASE("the standard LayerNorm's backward passes the gradient check") {
    Rng rng(3);
    StandardLayerNorm norm(6, "ln.");
    fill_uniform(norm.weight.value, 0.5f, 1.5f, rng);
    fill_uniform(norm.bias.value, -0.5f, 0.5f, rng);
    Tensor<3> x = xt::zeros<float>({2, 3, 6}), w = xt::zeros<float>({2, 3, 6});
    fill_uniform(x, -2, 2, rng);
    fill_uniform(w, -1, 1, rng);
    auto loss = [&] { return dot_double(norm.forward(x), w); };
    loss();
    const Tensor<3> dx = norm.backward(w);
    const xt::xarray<float> dweight = norm.weight.grad;
    for (const auto& r : {check_gradient("x", x, dx, loss),
                          check_gradient("weight", norm.weight.value, dweight, loss)}) {
        INFO(r.report);
        CHECK(r.passed);
    }
}

TEST_CASE("AdamW takes the same three steps as torch.optim.AdamW, decaying only the matrix") {
    Parameter w("w", {3, 4}), b("b", {4});
    w.value = load_npy_array<float>(fixture("ch12", "adamw_w0"));
    b.value = load_npy_array<float>(fixture("ch12", "adamw_b0"));
    AdamW adamw({&w, &b}, {true, false}, 0.1, 0.9, 0.99, 1e-8);
    const auto lrs = load_npy<float, 1>(fixture("ch12", "adamw_lrs"));
    for (int step = 1; step <= 3; ++step) {
        const std::string s = std::to_string(step);
        w.grad = load_npy_array<float>(fixture("ch12", "adamw_gw_" + s));
        b.grad = load_npy_array<float>(fixture("ch12", "adamw_gb_" + s));
        adamw.step(lrs(step - 1));
        INFO("step " << step);
        CHECK_CLOSE(w.value, load_npy_array<float>(fixture("ch12", "adamw_w_" + s)), 1e-7, 1e-5);
        CHECK_CLOSE(b.value, load_npy_array<float>(fixture("ch12", "adamw_b_" + s)), 1e-7, 1e-5);
    }
    CHECK_THROWS_AS(AdamW({&w}, {true, false}, 0.1), std::invalid_argument);
}

TEST_CASE("the cosine schedule is nanoGPT's get_lr") {
    const auto its = load_npy<std::int64_t, 1>(fixture("ch12", "cosine_its"));
    const auto lrs = load_npy<float, 1>(fixture("ch12", "cosine_lrs"));
    for (std::size_t i = 0; i < its.size(); ++i) {
        INFO("iteration " << its(i));
        CHECK(cosine_rate(std::size_t(its(i)), 1e-3, 1e-4, 100, 2000) ==
              Approx(lrs(i)).epsilon(1e-6));
    }
}

TEST_CASE("the GPT's parameters, counted from its configuration alone, with biases and without") {
    for (bool bias : {false, true}) {
        INFO("bias " << bias);
        GPTConfig c = tiny_config();
        c.bias = bias;
        CHECK(c.parameter_count() == count_scalars(GPT(c, 1).parameters()));
    }
}

TEST_CASE("the cosine schedule with no cosine (decay ends where warm-up does) is a number") {
    // nanoGPT's test (it > D) would compute 0/0 at it = w = D.
    for (std::size_t it : {99, 100, 101}) {
        INFO("iteration " << it);
        const double lr = cosine_rate(it, 1e-3, 1e-4, 100, 100);
        CHECK(std::isfinite(lr));
        if (it >= 100) CHECK(lr == 1e-4);
    }
}

TEST_CASE("a loss estimate that is not a number stops the run (before it would be saved)") {
    const TinyText text = tiny_text();
    GPTConfig c = tiny_config();
    c.vocab = text.vocabulary.size();
    GPT model(c, 3);
    Rng rng(1);
    CHECK(std::isfinite(estimate_loss(model, text.split.val, 2, 2, rng)));
    model.parameters()[0]->value(0, 0) = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_AS(estimate_loss(model, text.split.val, 2, 2, rng), TrainingDiverged);
}

TEST_CASE(
    "the GPT matches a PyTorch model with the same weights: logits, loss and every gradient") {
    for (const char* name : {"gpt_a", "gpt_b", "gpt_c"}) {
        INFO(name);
        GPT model(fixture_config(name), 0);
        read_parameter_files(fixture_dir(std::string(name) + "_params"), model.parameters());
        const auto idx = load_npy<std::int64_t, 2>(fixture("ch12", std::string(name) + "_idx"));
        const auto targets =
            load_npy<std::int64_t, 2>(fixture("ch12", std::string(name) + "_targets"));
        Tensor<3> z = model.forward(idx);
        check_scaled(z, load_fixture<3>("ch12", std::string(name) + "_logits"), 1e-4);
        // The mean cross-entropy over every position, and its gradient.
        LabelSmoothing ce(model.config().vocab, -1, 0.0f);
        const float scale = 1.0f / float(idx.size());
        const double loss = ce.forward_backward_logits(z, targets, scale) * scale;
        CHECK(loss == Approx(load_npy<float, 1>(fixture("ch12", std::string(name) + "_loss"))(0))
                          .epsilon(1e-5));
        model.backward(z);
        for (Parameter* p : model.parameters()) {
            INFO(p->name);
            const xt::xarray<float> expected = load_npy_array<float>(
                fixture_dir(std::string(name) + "_grads/" + p->name + ".npy"));
            // A key's bias cannot change the softmax (a shift of every score): its true
            // gradient is 0, and both sides hold rounding noise.
            if (p->name.find("linears.1.bias") != std::string::npos) {
                CHECK_CLOSE(p->grad, expected, 1e-5, 0.0);
            } else {
                check_scaled(p->grad, expected);
            }
        }
    }
}

TEST_CASE("the causal mask: a change to a later token changes no earlier output") {
    GPT model(tiny_config(), 1);
    xt::xtensor<std::int64_t, 2> ids = {{1, 2, 3, 4, 5, 6}};
    const Tensor<3> before = model.forward(ids);
    ids(0, 4) = 0;
    const Tensor<3> after = model.forward(ids);
    for (std::size_t t = 0; t < 4; ++t)
        for (std::size_t v = 0; v < 7; ++v) CHECK(after(0, t, v) == before(0, t, v));
    bool later_changed = false;
    for (std::size_t v = 0; v < 7; ++v)
        later_changed = later_changed || after(0, 4, v) != before(0, 4, v);
    CHECK(later_changed);
    CHECK_THROWS_AS(model.forward(xt::zeros<std::int64_t>({1, 9})),
                    std::length_error);  // past block_size
}

TEST_CASE(
    "the tied table's gradient, from the embedding and the output head, passes the gradient "
    "check") {
    GPTConfig c = tiny_config();
    c.bias = true;
    GPT model(c, 2);
    CHECK(&model.lm_head.W() == &model.wte.table());
    CHECK_THROWS(find_parameter(model.parameters(), "lm_head.weight"));
    {
        // A moved model keeps its tie: the table lives where both users point.
        GPT original(c, 2);
        const Tensor<3> before = original.forward({{1, 2, 3}});
        GPT moved(std::move(original));
        CHECK(&moved.lm_head.W() == &moved.wte.table());
        CHECK((moved.forward({{1, 2, 3}}) == before));
    }
    // nanoGPT's initialisation is too small for differences to see much; spread it.
    for (Parameter* p : model.parameters()) {
        if (p->value.dimension() >= 2) fill_uniform(p->value, -0.3f, 0.3f, model.rng());
    }
    const xt::xtensor<std::int64_t, 2> ids = {{1, 2, 3, 1, 4}, {5, 5, 6, 0, 2}};
    Tensor<3> w = xt::zeros<float>({2, 5, 7});
    fill_uniform(w, -1, 1, model.rng());
    auto loss = [&] { return dot_double(model.forward(ids), w); };
    loss();
    model.backward(w);
    // Through a whole model in float32 a difference is noisy at about 1e-4, so small
    // gradients are judged by their absolute error; Richardson's extrapolation over h and
    // 2h removes the curvature a single step would see. (Every gradient is also compared
    // with PyTorch's autograd above.)
    GradCheckOptions options;
    options.step = 1e-2;
    options.floor = 1e-2;
    for (const char* name : {"wte.weight", "wpe.weight", "h.1.mlp.c_fc.weight",
                             "h.0.attn.linears.0.weight", "ln_f.weight"}) {
        Parameter& p = find_parameter(model.parameters(), name);
        const xt::xarray<float> analytic = p.grad;
        const auto r = check_gradient(name, p.value, analytic, loss, options);
        INFO(r.report);
        CHECK(r.passed);
    }
}

TEST_CASE("a tiny model's loss falls on a tiny text in seconds", "[learning]") {
    const TinyText text = tiny_text();
    GPTConfig c = tiny_config();
    c.vocab = text.vocabulary.size();
    c.block_size = 16;
    c.n_embd = 32;
    GPT model(c, 4);
    check_loss_falls(model, text.split);
}

TEST_CASE("the GPT's cache: its room, its bytes, its errors, and reset") {
    GPT model(tiny_config(), 5);
    const std::unique_ptr<TokenCache> cache = model.make_cache(2);
    CHECK(cache->capacity() == 8);
    // Keys and values, 2 blocks, 2 rows, H = 2 heads of K = 4, 8 positions, in float32.
    CHECK(cache->bytes() == 2 * 2 * 2 * 2 * 8 * 4 * sizeof(float));
    CHECK_THROWS_WITH(cache->step({1}), "GPTCache: one token per row (2), got 1");
    const Tensor<2> first = cache->step({1, 2});
    for (int t = 1; t < 8; ++t) cache->step({3, 4});
    CHECK(cache->length() == 8);
    CHECK_THROWS_WITH(cache->step({1, 2}), "GPTCache: position 8 is past its room for 8 positions");
    cache->reset();
    CHECK(cache->length() == 0);
    CHECK((cache->step({1, 2}) == first));  // position 0 again, the same logits
}

TEST_CASE("sampling: temperature 0 is greedy, top-k stays in the top k, cache and no cache agree") {
    GPT model(tiny_config(), 5);
    const std::vector<std::int64_t> prompt = {1, 2, 3};
    SampleOptions greedy;
    greedy.temperature = 0.0;
    Rng r0(1), r1(1);
    const auto g = generate(model, prompt, 20, greedy, r0);
    SampleOptions cold;
    cold.temperature = 1e-4;
    CHECK(generate(model, prompt, 20, cold, r1) == g);
    // Top-k: 2,000 draws from 7 logits with k = 3 never leave the three largest.
    const float logits[7] = {0.1f, 2.0f, -1.0f, 1.5f, 0.3f, 1.9f, -3.0f};
    Rng r2(2);
    std::set<std::int64_t> seen;
    for (int i = 0; i < 2000; ++i) seen.insert(sample_token(logits, 7, 1.5, 3, r2));
    CHECK(seen == std::set<std::int64_t>{1, 3, 5});
    // 40 tokens with a context of 8: the window restarts several times; the cached and
    // the recomputing sampler draw the same characters from the same seed.
    SampleOptions with, without;
    without.cache = false;
    Rng r3(3), r4(3);
    CHECK(generate(model, prompt, 40, with, r3) == generate(model, prompt, 40, without, r4));
    // A context of one position restarts at every token, from that token alone.
    for (std::size_t block : {1, 2, 3}) {
        INFO("block_size " << block);
        GPTConfig c = tiny_config();
        c.block_size = block;
        GPT narrow(c, 6);
        Rng r5(4), r6(4);
        const auto cached = generate(narrow, prompt, 12, with, r5);
        CHECK(cached.size() == 12);
        CHECK(cached == generate(narrow, prompt, 12, without, r6));
    }
}

TEST_CASE(
    "the character vocabulary: sorted, round trip, unknown characters named, stand-ins explicit") {
    const CharVocabulary v = CharVocabulary::of_text("hello, world\n");
    CHECK(v.chars() == "\n ,dehlorw");
    CHECK(v.decode(v.encode("hello")) == "hello");
    CHECK_THROWS_WITH(v.encode("help"),
                      "'p' at position 3 is not in the vocabulary of 10 characters");
    std::size_t replaced = 0;
    CHECK(map_into_vocabulary("hello!", v, {{'!', ','}}, replaced) == "hello,");
    CHECK(replaced == 1);
    CHECK_THROWS_WITH(map_into_vocabulary("hello?", v, {{'!', ','}}, replaced),
                      "the text:1:6: '?' is outside the vocabulary and has no replacement");
    // Lines and columns count from 1, as an editor shows them.
    const CharVocabulary lines = CharVocabulary::of_text("ab\n");
    CHECK_THROWS_WITH(map_into_vocabulary("ab\nba\nabc", lines, {}, replaced, "caps.txt"),
                      "caps.txt:3:3: 'c' is outside the vocabulary and has no replacement");
    CHECK_THROWS(CharVocabulary::from_chars("ba", "test"));
    const TextSplit s = split_train_val(v.encode("hello, world"), 0.5);
    CHECK(s.train.size() == 6);
    CHECK(s.val.size() == 6);
}

TEST_CASE("fuzzing the GPT's config.json and the character vocabulary: read or refused") {
    GPTConfig c;
    const std::size_t rejected =
        testing::fuzz<CheckpointError>({c.to_json()}, 4000, 8, [](const std::string& text) {
            GPTConfig::from_json(text, "config.json").validate();  // accepted means usable
        });
    CHECK(rejected > 2000);
    testing::fuzz<std::invalid_argument>(
        {"\n !$&',-.3:;?ABCXYZabcxyz"}, 3000, 9, [](const std::string& chars) {
            const CharVocabulary v = CharVocabulary::from_chars(chars, "vocabulary.txt");
            REQUIRE(v.decode(v.encode(v.chars())) == v.chars());
        });
}
