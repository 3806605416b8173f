// Tests for exercise 7.3 — the memory's gradient, through the whole decoder.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <xtensor/xarray.hpp>

#include "00_tensors/gradcheck.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "07_encoder_decoder/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::decoder_memory_gradient;

namespace {
// A tiny model with two decoder layers, so that the memory's gradient is a sum of two shares.
tfm::ModelConfig tiny_config() {
    return tfm::small_config(7, 2, 8, 16, 2);
}
}  // namespace

TEST_CASE("exercise 7.3: the decoder's backward, with the parameter gradients of the model's own") {
    tfm::EncoderDecoder model(tiny_config(), 21);
    const xt::xtensor<std::int64_t, 2> src = {{1, 2, 3, 4}, {5, 6, 0, 0}};
    const xt::xtensor<std::int64_t, 2> tgt = {{1, 3, 5}, {1, 2, 0}};
    const auto src_mask = tfm::padding_mask(src, 0);
    const auto tgt_mask = tfm::decoder_mask(tgt, 0);
    Tensor<3> dout = xt::zeros<float>({2, 3, 8});
    tfm::fill_uniform(dout, -1.0f, 1.0f, model.rng());
    // The whole model's backward (checked against PyTorch in chapter 07's tests).
    model.forward(src, tgt, src_mask, tgt_mask);
    model.backward(dout);
    const tfm::ParameterList params = model.parameters();
    std::vector<xt::xarray<float>> expected;
    for (tfm::Parameter* p : params) {
        expected.push_back(p->grad);
        p->zero_grad();
    }
    // The same forward in its two steps, then the exercise.
    const Tensor<3> memory = model.encode(src, src_mask);
    model.decode(memory, src_mask, tgt, tgt_mask);
    const Tensor<3> dmemory = decoder_memory_gradient(model, memory, dout);
    REQUIRE(dmemory.shape() == memory.shape());
    std::size_t decoder_parameters = 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i]->name.rfind("decoder.", 0) != 0) continue;  // only the decoder's
        double worst = 0.0;
        for (std::size_t j = 0; j < expected[i].size(); ++j) {
            const double e = expected[i].data()[j];
            worst = std::max(worst,
                             std::abs(double(params[i]->grad.data()[j]) - e) / (1.0 + std::abs(e)));
        }
        INFO("the gradient of " << params[i]->name);
        CHECK(worst < 1e-5);
        ++decoder_parameters;
    }
    CHECK(decoder_parameters > 0);
}

TEST_CASE("exercise 7.3: the memory's gradient passes the gradient check") {
    tfm::EncoderDecoder model(tiny_config(), 22);
    const xt::xtensor<std::int64_t, 2> src = {{1, 2, 3, 4}, {5, 6, 0, 0}};
    const xt::xtensor<std::int64_t, 2> tgt = {{1, 3, 5}, {1, 2, 0}};
    const auto src_mask = tfm::padding_mask(src, 0);
    const auto tgt_mask = tfm::decoder_mask(tgt, 0);
    Tensor<3> memory = model.encode(src, src_mask);
    Tensor<3> dout = xt::zeros<float>({2, 3, 8});
    tfm::fill_uniform(dout, -1.0f, 1.0f, model.rng());
    // L = Σ dout ⊙ decode(memory), so that ∂L/∂(decoder output) = dout.
    auto loss = [&] {
        return tfm::dot_double(model.decode(memory, src_mask, tgt, tgt_mask), dout);
    };
    // ReLU's kinks in the decoder's feed-forward networks: a step that flips the sign of a
    // pre-activation is not a derivative, and the checker skips that element (chapter 05).
    auto signs = [&] {
        std::vector<bool> s;
        for (auto& layer : model.decoder_layers)
            for (float v : layer.feed_forward.pre_activation()) s.push_back(v > 0);
        return s;
    };
    loss();
    const std::vector<bool> baseline = signs();
    const Tensor<3> dmemory = decoder_memory_gradient(model, memory, dout);
    tfm::GradCheckOptions options;
    options.step = 1e-2;
    options.richardson = false;
    options.floor = 1e-2;  // through a whole decoder in float32, as in chapter 07's check
    options.tolerance = 2e-2;
    options.smooth = [&] { return signs() == baseline; };
    const auto r = tfm::check_gradient("memory", memory, dmemory, loss, options);
    INFO(r.report);
    CHECK(r.passed);
    CHECK(r.skipped * 10 < memory.size());  // kinks must be the exception
}
