// Chapter 06: the Annotated Transformer's LayerNorm (values, PyTorch, gradients), the
// difference from nn.LayerNorm, pre- and post-norm sublayer connections against PyTorch,
// gradient checks, dropout in the residual, and errors.
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/linear.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"
#include "06_layer_norm_residual/sublayer.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::load_fixture;

TEST_CASE("[1, 0, 0, 0] becomes [1.5, -0.5, -0.5, -0.5] (unbiased std, eps on the std)") {
    LayerNorm norm(4);
    const auto y = norm.forward(Tensor<3>{{{1, 0, 0, 0}}});
    CHECK(y(0, 0, 0) == Approx(1.5f).epsilon(1e-5));
    for (std::size_t c = 1; c < 4; ++c) CHECK(y(0, 0, c) == Approx(-0.5f).epsilon(1e-5));
    // nn.LayerNorm would give (1 − 0.25)/sqrt(0.1875 + 1e-5) = 1.7320 instead.
    CHECK(std::abs(y(0, 0, 0) - 1.7320f) > 0.2f);
}

TEST_CASE("the names are a_2 and b_2, and a_2 starts at 1 and b_2 at 0") {
    LayerNorm norm(8, "encoder.layers.0.sublayer.1.norm.");
    CHECK(norm.parameters()[0]->name == "encoder.layers.0.sublayer.1.norm.a_2");
    CHECK(norm.parameters()[1]->name == "encoder.layers.0.sublayer.1.norm.b_2");
    CHECK(norm.a_2.value(3) == 1.0f);
    CHECK(norm.b_2.value(3) == 0.0f);
}

TEST_CASE("LayerNorm forward and backward match the Annotated Transformer's in PyTorch") {
    LayerNorm norm(8);
    norm.a_2.value = load_fixture<1>("ch06", "norm_a_2");
    norm.b_2.value = load_fixture<1>("ch06", "norm_b_2");
    CHECK_CLOSE(norm.forward(load_fixture<3>("ch06", "norm_x")), load_fixture<3>("ch06", "norm_y"),
                1e-5, 1e-5);
    CHECK_CLOSE(norm.backward(load_fixture<3>("ch06", "norm_dy")),
                load_fixture<3>("ch06", "norm_dx"), 1e-5, 1e-4);
    CHECK_CLOSE(norm.a_2.grad, load_fixture<1>("ch06", "norm_grad_a_2"), 1e-5, 1e-5);
    CHECK_CLOSE(norm.b_2.grad, load_fixture<1>("ch06", "norm_grad_b_2"), 1e-5, 1e-5);
}

TEST_CASE("LayerNorm backward passes the gradient check, on several rows") {
    Rng rng(1);
    LayerNorm norm(6);
    fill_uniform(norm.a_2.value, 0.5f, 1.5f, rng);
    fill_uniform(norm.b_2.value, -0.5f, 0.5f, rng);
    Tensor<3> x = xt::zeros<float>({2, 3, 6}), g = xt::zeros<float>({2, 3, 6});
    fill_uniform(x, -1, 1, rng);
    fill_uniform(g, -1, 1, rng);
    auto loss = [&] { return dot_double(norm.forward(x), g); };
    loss();
    const auto dx = norm.backward(g);
    const xt::xarray<float> da = norm.a_2.grad, db = norm.b_2.grad;
    for (const auto& r :
         {check_gradient("x", x, dx, loss), check_gradient("a_2", norm.a_2.value, da, loss),
          check_gradient("b_2", norm.b_2.value, db, loss)}) {
        INFO(r.report);
        CHECK(r.passed);
    }
}

TEST_CASE("a constant row normalises to b_2 and passes a finite gradient") {
    LayerNorm norm(4);
    norm.b_2.value = xt::xarray<float>({1, 2, 3, 4});
    const auto y = norm.forward(Tensor<3>{{{7, 7, 7, 7}}});
    for (std::size_t c = 0; c < 4; ++c) CHECK(y(0, 0, c) == Approx(c + 1));
    const auto dx = norm.backward(Tensor<3>{{{1, -1, 2, 0}}});
    for (float v : dx) CHECK(std::isfinite(v));
}

namespace {
void check_sublayer_against_pytorch(const std::string& name, NormPlacement placement) {
    Rng rng(0);
    SublayerConnection residual(6, 0.0f, rng, "", placement);
    residual.norm.a_2.value = load_fixture<1>("ch06", name + "_norm_a_2");
    residual.norm.b_2.value = load_fixture<1>("ch06", name + "_norm_b_2");
    Linear sub(6, 6, rng);
    sub.weight.value = load_fixture<2>("ch06", name + "_sub_weight");
    sub.bias.value = load_fixture<1>("ch06", name + "_sub_bias");
    const auto y = residual.forward(load_fixture<3>("ch06", name + "_x"),
                                    [&](const Tensor<3>& h) { return sub.forward(h); });
    CHECK_CLOSE(y, load_fixture<3>("ch06", name + "_y"), 1e-5, 1e-5);
    const auto dx = residual.backward(load_fixture<3>("ch06", name + "_dy"),
                                      [&](const Tensor<3>& d) { return sub.backward(d); });
    CHECK_CLOSE(dx, load_fixture<3>("ch06", name + "_dx"), 1e-5, 1e-4);
    CHECK_CLOSE(residual.norm.a_2.grad, load_fixture<1>("ch06", name + "_norm_grad_a_2"), 1e-5,
                1e-4);
    CHECK_CLOSE(sub.weight.grad, load_fixture<2>("ch06", name + "_sub_grad_weight"), 1e-5, 1e-4);
}
}  // namespace

TEST_CASE("pre-norm x + sublayer(norm(x)) matches PyTorch") {
    check_sublayer_against_pytorch("pre", NormPlacement::Pre);
}

TEST_CASE("post-norm norm(x + sublayer(x)) matches PyTorch") {
    check_sublayer_against_pytorch("post", NormPlacement::Post);
}

TEST_CASE("both placements pass the gradient check, for x and the norm's parameters") {
    for (NormPlacement placement : {NormPlacement::Pre, NormPlacement::Post}) {
        Rng rng(2);
        SublayerConnection residual(5, 0.0f, rng, "", placement);
        Linear sub(5, 5, rng);
        Tensor<3> x = xt::zeros<float>({2, 3, 5}), g = xt::zeros<float>({2, 3, 5});
        fill_uniform(x, -1, 1, rng);
        fill_uniform(g, -1, 1, rng);
        auto fwd = [&](const Tensor<3>& h) { return sub.forward(h); };
        auto loss = [&] { return dot_double(residual.forward(x, fwd), g); };
        loss();
        const auto dx = residual.backward(g, [&](const Tensor<3>& d) { return sub.backward(d); });
        const xt::xarray<float> da = residual.norm.a_2.grad, dw = sub.weight.grad;
        for (const auto& r : {check_gradient("x", x, dx, loss),
                              check_gradient("a_2", residual.norm.a_2.value, da, loss),
                              check_gradient("sub.weight", sub.weight.value, dw, loss)}) {
            INFO((placement == NormPlacement::Pre ? "pre: " : "post: ") << r.report);
            CHECK(r.passed);
        }
    }
}

TEST_CASE("with a zero sublayer, pre-norm is the identity and post-norm is just the norm") {
    Rng rng(0);
    Tensor<3> x = xt::zeros<float>({1, 2, 4});
    fill_uniform(x, -1, 1, rng);
    auto zero = [](const Tensor<3>& h) { return Tensor<3>(xt::zeros<float>(h.shape())); };
    SublayerConnection pre(4, 0.0f, rng, "", NormPlacement::Pre);
    CHECK((pre.forward(x, zero) == x));
    SublayerConnection post(4, 0.0f, rng, "", NormPlacement::Post);
    LayerNorm norm(4);
    CHECK_CLOSE(post.forward(x, zero), norm.forward(x), 1e-6, 1e-6);
}

TEST_CASE("dropout in the residual acts on the sublayer's output only, and only in training") {
    Rng rng(4);
    SublayerConnection residual(4, 0.5f, rng);
    Tensor<3> x = xt::ones<float>({1, 50, 4});
    auto ones = [](const Tensor<3>& h) { return Tensor<3>(xt::ones<float>(h.shape())); };
    const auto y = residual.forward(x, ones);
    // Each element is x + 0 (dropped) or x + 1/(1 − 0.5) = 3 (kept): the residual is never dropped.
    std::size_t dropped = 0;
    for (float v : y) {
        CHECK((v == 1.0f || v == 3.0f));
        dropped += v == 1.0f;
    }
    CHECK(dropped > 50);
    CHECK(dropped < 150);
    residual.train(false);
    for (float v : residual.forward(x, ones)) CHECK(v == 2.0f);
}

TEST_CASE("errors: too few features, wrong widths") {
    CHECK_THROWS_AS(LayerNorm(1), std::invalid_argument);
    LayerNorm norm(4);
    CHECK_THROWS_WITH(norm.forward(xt::zeros<float>({1, 2, 5})),
                      "LayerNorm x_BLC: expected shape [*, *, 4], got [1, 2, 5]");
}
