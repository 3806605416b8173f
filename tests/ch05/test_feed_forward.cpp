// Chapter 05: the position-wise feed-forward network — names and layout, PyTorch values
// and gradients, position-wise behaviour, and gradient checks that treat ReLU's kink
// honestly.
#include <catch2/catch.hpp>

#include <xtensor/xview.hpp>

#include "00_tensors/gradcheck.hpp"
#include "05_feed_forward/feed_forward.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::load_fixture;

TEST_CASE("w_1 and w_2 have PyTorch's names and layouts") {
    Rng rng(0);
    PositionwiseFeedForward ffn(512, 2048, 0.1f, rng, "encoder.layers.3.feed_forward.");
    const ParameterList params = ffn.parameters();
    REQUIRE(params.size() == 4);
    CHECK(params[0]->name == "encoder.layers.3.feed_forward.w_1.weight");
    CHECK(params[0]->value.shape() == std::vector<std::size_t>{2048, 512});
    CHECK(params[3]->name == "encoder.layers.3.feed_forward.w_2.bias");
    CHECK(count_scalars(params) == 2 * 512 * 2048 + 2048 + 512);
}

TEST_CASE("forward and backward match PyTorch") {
    Rng rng(0);
    PositionwiseFeedForward ffn(6, 16, 0.0f, rng);
    ffn.w_1.weight.value = load_fixture<2>("ch05", "ffn_w_1.weight");
    ffn.w_1.bias.value = load_fixture<1>("ch05", "ffn_w_1.bias");
    ffn.w_2.weight.value = load_fixture<2>("ch05", "ffn_w_2.weight");
    ffn.w_2.bias.value = load_fixture<1>("ch05", "ffn_w_2.bias");
    CHECK_CLOSE(ffn.forward(load_fixture<3>("ch05", "ffn_x")), load_fixture<3>("ch05", "ffn_y"),
                1e-5, 1e-5);
    CHECK_CLOSE(ffn.backward(load_fixture<3>("ch05", "ffn_dy")), load_fixture<3>("ch05", "ffn_dx"),
                1e-5, 1e-5);
    CHECK_CLOSE(ffn.w_1.weight.grad, load_fixture<2>("ch05", "ffn_grad_w_1.weight"), 1e-5, 1e-5);
    CHECK_CLOSE(ffn.w_1.bias.grad, load_fixture<1>("ch05", "ffn_grad_w_1.bias"), 1e-5, 1e-5);
    CHECK_CLOSE(ffn.w_2.weight.grad, load_fixture<2>("ch05", "ffn_grad_w_2.weight"), 1e-5, 1e-5);
    CHECK_CLOSE(ffn.w_2.bias.grad, load_fixture<1>("ch05", "ffn_grad_w_2.bias"), 1e-5, 1e-5);
}

TEST_CASE("every position is transformed alike and alone") {
    Rng rng(1);
    PositionwiseFeedForward ffn(4, 12, 0.0f, rng);
    Tensor<3> x = xt::zeros<float>({2, 5, 4});
    fill_uniform(x, -1, 1, rng);
    const auto y = ffn.forward(x);
    // Row (1, 3) alone through the network gives the same result as inside the batch.
    Tensor<3> one = xt::zeros<float>({1, 1, 4});
    xt::view(one, 0, 0) = xt::view(x, 1, 3);
    const auto y_one = ffn.forward(one);
    for (std::size_t c = 0; c < 4; ++c) CHECK(y_one(0, 0, c) == Approx(y(1, 3, c)).margin(1e-6));
}

TEST_CASE("gradient check away from ReLU's kink: no pre-activation may cross 0") {
    Rng rng(2);
    PositionwiseFeedForward ffn(5, 9, 0.0f, rng);
    Tensor<3> x = xt::zeros<float>({2, 3, 5}), g = xt::zeros<float>({2, 3, 5});
    fill_uniform(x, -1, 1, rng);
    fill_uniform(g, -1, 1, rng);
    ffn.forward(x);
    const xt::xtensor<bool, 3> signs = ffn.pre_activation() > 0.0f;
    bool crossed = false;
    auto loss = [&] {
        const double l = dot_double(ffn.forward(x), g);
        crossed = crossed || !xt::all(xt::equal(ffn.pre_activation() > 0.0f, signs));
        return l;
    };
    loss();
    const auto dx = ffn.backward(g);
    std::vector<GradCheckResult> results;
    GradCheckOptions options;
    options.step = 1e-3;  // small enough that no step reaches a kink (checked below)
    // So small a step in float32 leaves rounding noise of about 1e-5 in each difference:
    // gradients below 1e-2 are judged by their absolute error (a relative 1% of a gradient
    // of 0.002 is within that noise, and compilers that round differently disagree there).
    options.floor = 1e-2;
    results.push_back(check_gradient("x", x, dx, loss, options));
    for (Parameter* p : ffn.parameters()) {
        const xt::xarray<float> analytic = p->grad;
        results.push_back(check_gradient(p->name, p->value, analytic, loss, options));
    }
    for (const auto& r : results) {
        INFO(r.report);
        CHECK(r.passed);
    }
    // The check is only meaningful if every perturbation stayed on one side of every kink.
    CHECK_FALSE(crossed);
}

TEST_CASE("at the kink itself, finite differences and the analytic gradient must disagree") {
    // One input, one hidden unit with pre-activation exactly 0: relu has no derivative
    // there. Backward uses 0 (as PyTorch); the central difference sees the average of
    // the two one-sided slopes, 1/2. The checker must flag exactly that element.
    Rng rng(0);
    PositionwiseFeedForward ffn(1, 1, 0.0f, rng);
    ffn.w_1.weight.value = xt::ones<float>({1, 1});
    ffn.w_1.bias.value = xt::zeros<float>({1});
    ffn.w_2.weight.value = xt::ones<float>({1, 1});
    ffn.w_2.bias.value = xt::zeros<float>({1});
    Tensor<3> x = xt::zeros<float>({1, 1, 1});  // h = x = 0: on the kink
    Tensor<3> g = xt::ones<float>({1, 1, 1});
    ffn.forward(x);
    const auto dx = ffn.backward(g);
    CHECK(dx(0, 0, 0) == 0.0f);
    GradCheckOptions plain;
    plain.richardson = false;
    const auto r = check_gradient(
        "x", x, dx, [&] { return dot_double(ffn.forward(x), g); }, plain);
    CHECK_FALSE(r.passed);
    CHECK(r.numeric == Approx(0.5));
}
