// Chapter 07: the full model — parameter names and count, log-probabilities and every
// gradient against the Annotated Transformer in PyTorch (two configurations), a
// whole-model gradient check, untrained greedy decoding, log-softmax.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "00_tensors/gradcheck.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::fixture;
using tfm::testing::load_fixture;

namespace {
std::string checkpoint_dir(const std::string& name) {
    return std::string(TFM_FIXTURES_DIR) + "/ch07/" + name + "_checkpoint";
}
}  // namespace

TEST_CASE("make_model(11, 11, 2) has 14,731,787 parameters under PyTorch's names") {
    ModelConfig config;
    config.src_vocab = config.tgt_vocab = 11;
    config.N = 2;
    EncoderDecoder model(config, 0);
    const ParameterList params = model.parameters();
    CHECK(count_scalars(params) == 14731787);
    CHECK(config.parameter_count() == 14731787);  // counted from the configuration alone
    std::set<std::string> names;
    for (const Parameter* p : params) names.insert(p->name);
    CHECK(names.size() == params.size());  // no duplicates
    for (const char* key :
         {"encoder.layers.0.self_attn.linears.0.weight", "decoder.layers.1.src_attn.linears.3.bias",
          "encoder.layers.0.sublayer.1.norm.a_2", "encoder.norm.b_2", "src_embed.0.lut.weight",
          "tgt_embed.0.lut.weight", "generator.proj.weight", "decoder.layers.1.sublayer.2.norm.b_2",
          "decoder.layers.0.feed_forward.w_2.weight"}) {
        INFO(key);
        CHECK(names.count(key) == 1);
    }
    CHECK(find_parameter(params, "generator.proj.weight").value.shape() ==
          std::vector<std::size_t>{11, 512});
    CHECK(params.front()->name ==
          "encoder.layers.0.self_attn.linears.0.weight");  // PyTorch's order
    CHECK(params.back()->name == "generator.proj.bias");
}

TEST_CASE("Xavier initialisation on every parameter with more than one dimension") {
    EncoderDecoder model(small_config(50, 1, 64, 128, 4), 3);
    const Parameter& w =
        find_parameter(model.parameters(), "encoder.layers.0.feed_forward.w_1.weight");
    const double bound = std::sqrt(6.0 / (128 + 64));
    CHECK(xt::amax(xt::abs(w.value))() <= bound);
    CHECK(xt::amax(xt::abs(w.value))() > 0.95 * bound);
    const Parameter& a = find_parameter(model.parameters(), "encoder.norm.a_2");
    CHECK(a.value(0) == 1.0f);  // 1-D parameters keep their own initialisation
}

namespace {
void check_against_pytorch(const std::string& name) {
    EncoderDecoder model = load_checkpoint(checkpoint_dir(name));
    model.train(false);
    const auto src = load_npy<std::int64_t, 2>(fixture("ch07", name + "_src"));
    const auto tgt = load_npy<std::int64_t, 2>(fixture("ch07", name + "_tgt"));
    const auto logp = model.generator.forward(
        model.forward(src, tgt, padding_mask(src, 0), decoder_mask(tgt, 0)));
    CHECK_CLOSE(logp, load_fixture<3>("ch07", name + "_logp"), 1e-4, 1e-4);
    // Gradients of L = Σ w ⊙ log p for every parameter.
    zero_grads(model.parameters());
    model.backward(model.generator.backward(load_fixture<3>("ch07", name + "_w")));
    const std::string grads = std::string(TFM_FIXTURES_DIR) + "/ch07/" + name + "_grads/";
    for (const Parameter* p : model.parameters()) {
        INFO(p->name);
        CHECK_CLOSE(p->grad, load_npy_array<float>(grads + p->name + ".npy"), 1e-4, 1e-3);
    }
}
}  // namespace

TEST_CASE("log-probabilities and all gradients match PyTorch: N=2, C=32, 4 heads, padding") {
    check_against_pytorch("small");
}

TEST_CASE("log-probabilities and all gradients match PyTorch: C=48 in 3 heads, M != L") {
    check_against_pytorch("h3");
}

namespace {
void check_whole_model_gradients(bool shared_embeddings, std::uint64_t seed) {
    ModelConfig config = small_config(7, 1, 8, 16, 2);
    config.shared_embeddings = shared_embeddings;
    EncoderDecoder model(config, seed);
    const xt::xtensor<std::int64_t, 2> src = {{1, 2, 3, 4}, {5, 6, 0, 0}};
    const xt::xtensor<std::int64_t, 2> tgt = {{1, 3, 5}, {1, 2, 0}};
    const auto src_mask = padding_mask(src, 0);
    const auto tgt_mask = decoder_mask(tgt, 0);
    Tensor<3> w = xt::zeros<float>({2, 3, 7});
    fill_uniform(w, -1, 1, model.rng());
    // ReLU's kinks: record the sign of every feed-forward pre-activation, and tell the
    // checker when a step has flipped one (chapter 05) — that element is then skipped.
    auto signs = [&] {
        std::vector<bool> s;
        for (auto& layer : model.encoder_layers)
            for (float v : layer.feed_forward.pre_activation()) s.push_back(v > 0);
        for (auto& layer : model.decoder_layers)
            for (float v : layer.feed_forward.pre_activation()) s.push_back(v > 0);
        return s;
    };
    auto loss = [&] {
        return dot_double(model.generator.forward(model.forward(src, tgt, src_mask, tgt_mask)), w);
    };
    loss();
    const std::vector<bool> baseline = signs();
    model.backward(model.generator.backward(w));
    GradCheckOptions options;
    options.step = 1e-2;
    options.smooth = [&] { return signs() == baseline; };
    // Through a whole model in float32 the rounding noise of a finite difference is of
    // order 1e-4 (measured: the worst element of one weight is off by 1.3e-4 at
    // h = 5e-3, 1.4e-4 at 1e-2 and 0.9e-4 at 2e-2; a change in the order in which the
    // softmax adds its row moved it from 0.9e-4 to 1.4e-4 at 1e-2). A larger h
    // crosses more ReLU kinks. So gradients below 1e-2 are judged by an absolute error
    // and the tolerance is 2e-2: a wrong term in a backward is off by far more. Every
    // gradient is also compared with PyTorch's autograd above, to 1e-4.
    options.floor = 1e-2;
    options.tolerance = 2e-2;
    options.richardson = false;  // the O(h²) error is below the noise here; Richardson adds noise
    std::size_t checked = 0, skipped = 0;
    for (Parameter* p : model.parameters()) {
        const xt::xarray<float> analytic = p->grad;
        const auto r = check_gradient(p->name, p->value, analytic, loss, options);
        INFO(r.report);
        CHECK(r.passed);
        checked += p->value.size();
        skipped += r.skipped;
    }
    // Kinks must be the exception, or the check would prove little.
    CHECK(skipped * 10 < checked);
}
}  // namespace

TEST_CASE("a whole-model gradient check on a tiny configuration") {
    check_whole_model_gradients(false, 11);
}

TEST_CASE(
    "tied embeddings: one matrix for both embeddings and the generator with the summed gradient") {
    ModelConfig config;
    config.src_vocab = config.tgt_vocab = 7;
    config.N = 1;
    config.d_model = 8;
    config.d_ff = 16;
    config.h = 2;
    EncoderDecoder untied(config, 3);
    config.shared_embeddings = true;
    EncoderDecoder tied(config, 3);
    const ParameterList pu = untied.parameters(), pt = tied.parameters();
    // Two [V, C] matrices fewer, and no name for them: the one matrix is src_embed's.
    CHECK(pt.size() == pu.size() - 2);
    CHECK(count_scalars(pt) == count_scalars(pu) - 2 * 7 * 8);
    CHECK(count_scalars(pt) == config.parameter_count());
    config.shared_embeddings = false;
    CHECK(count_scalars(pu) == config.parameter_count());
    config.shared_embeddings = true;
    CHECK_NOTHROW(find_parameter(pt, "src_embed.0.lut.weight"));
    CHECK_THROWS(find_parameter(pt, "tgt_embed.0.lut.weight"));
    CHECK_THROWS(find_parameter(pt, "generator.proj.weight"));
    CHECK(&tied.tgt_embed.embeddings.table() == &tied.src_embed.embeddings.table());
    CHECK(&tied.generator.proj.W() == &tied.src_embed.embeddings.table());
    // Moving the model keeps the three uses on one matrix.
    EncoderDecoder moved = std::move(tied);
    CHECK(&moved.generator.proj.W() == &moved.src_embed.embeddings.table());
    config.tgt_vocab = 9;
    CHECK_THROWS_WITH(EncoderDecoder(config, 1),
                      Catch::Contains("shared embeddings need one vocabulary"));
    // The gradient of the one matrix, through all three uses, against finite differences.
    check_whole_model_gradients(true, 12);
}

TEST_CASE("greedy decoding from an untrained make_model(11, 11, 2) runs") {
    ModelConfig config;
    config.src_vocab = config.tgt_vocab = 11;
    config.N = 2;
    EncoderDecoder model(config, 0);
    model.train(false);
    const xt::xtensor<std::int64_t, 2> src = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}};
    const auto ys = greedy_decode(model, src, padding_mask(src, -1), 10, 0);
    REQUIRE(ys.shape() == std::array<std::size_t, 2>{1, 10});
    CHECK(ys(0, 0) == 0);
    for (auto t : ys) CHECK((t >= 0 && t < 11));
    // Deterministic in evaluation mode.
    CHECK((greedy_decode(model, src, padding_mask(src, -1), 10, 0) == ys));
}

TEST_CASE("log-softmax is stable and its backward passes the gradient check") {
    Tensor<3> z = {{{1000, 1001, 1002}, {-5, 0, 5}}};
    const auto logp = log_softmax(z);
    CHECK(logp(0, 0, 2) == Approx(-0.40760596f));
    CHECK(std::exp(logp(0, 1, 0)) + std::exp(logp(0, 1, 1)) + std::exp(logp(0, 1, 2)) ==
          Approx(1.0f));
    Rng rng(2);
    Tensor<3> x = xt::zeros<float>({2, 3, 5}), g = xt::zeros<float>({2, 3, 5});
    fill_uniform(x, -2, 2, rng);
    fill_uniform(g, -1, 1, rng);
    const auto dx = log_softmax_backward(log_softmax(x), g);
    const auto r = check_gradient("z", x, dx, [&] { return dot_double(log_softmax(x), g); });
    INFO(r.report);
    CHECK(r.passed);
}

TEST_CASE("unusable configurations and token ids are clear errors") {
    ModelConfig config;
    config.src_vocab = config.tgt_vocab = 11;
    config.h = 7;
    CHECK_THROWS_WITH(EncoderDecoder(config, 0), "model config: h = 7 must divide d_model = 512");
    config.h = 8;
    config.N = 1;
    config.d_model = 16;
    config.d_ff = 32;
    EncoderDecoder model(config, 0);
    const xt::xtensor<std::int64_t, 2> bad = {{1, 11}};
    CHECK_THROWS_WITH(model.encode(bad, padding_mask(bad, 0)),
                      "encode: source: token id 11 at [0, 1] is outside the vocabulary [0, 11)");
}
