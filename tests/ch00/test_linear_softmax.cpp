// Chapter 00: Linear and softmax — forward against PyTorch, backward against PyTorch
// and against finite differences, invariants, and shape errors.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xmath.hpp>
#include <xtensor/xtensor.hpp>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/linear.hpp"
#include "00_tensors/softmax.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::load_fixture;

namespace {
Linear linear_from_fixture() {
    Rng rng(0);
    Linear linear(5, 4, rng, "proj.");
    linear.weight.value = load_fixture<2>("ch00", "linear_weight");
    linear.bias.value = load_fixture<1>("ch00", "linear_bias");
    return linear;
}
}  // namespace

TEST_CASE("Linear has PyTorch's names and layout") {
    Rng rng(0);
    Linear linear(5, 4, rng, "generator.proj.");
    REQUIRE(linear.parameters().size() == 2);
    CHECK(linear.parameters()[0]->name == "generator.proj.weight");
    CHECK(linear.parameters()[1]->name == "generator.proj.bias");
    CHECK(linear.weight.value.shape() == std::vector<std::size_t>{4, 5});  // [out, in]
    CHECK(linear.bias.value.shape() == std::vector<std::size_t>{4});
    CHECK(count_scalars(linear.parameters()) == 24);
}

TEST_CASE("Linear forward and backward match PyTorch") {
    Linear linear = linear_from_fixture();
    const auto x_BLI = load_fixture<3>("ch00", "linear_x");
    const auto y_BLO = linear.forward(x_BLI);
    CHECK_CLOSE(y_BLO, load_fixture<3>("ch00", "linear_y"), 1e-5, 1e-5);

    const auto dx_BLI = linear.backward(load_fixture<3>("ch00", "linear_dy"));
    CHECK_CLOSE(dx_BLI, load_fixture<3>("ch00", "linear_dx"), 1e-5, 1e-5);
    CHECK_CLOSE(linear.weight.grad, load_fixture<2>("ch00", "linear_dweight"), 1e-5, 1e-5);
    CHECK_CLOSE(linear.bias.grad, load_fixture<1>("ch00", "linear_dbias"), 1e-5, 1e-5);
}

TEST_CASE("Linear backward accumulates into the parameter gradients") {
    Linear linear = linear_from_fixture();
    const auto x_BLI = load_fixture<3>("ch00", "linear_x");
    const auto dy_BLO = load_fixture<3>("ch00", "linear_dy");
    linear.forward(x_BLI);
    linear.backward(dy_BLO);
    linear.backward(dy_BLO);  // same forward, twice: gradients double
    const Tensor<2> twice = 2.0f * load_fixture<2>("ch00", "linear_dweight");
    CHECK_CLOSE(linear.weight.grad, twice, 1e-5, 1e-5);
    zero_grads(linear.parameters());
    CHECK(xt::amax(xt::abs(linear.weight.grad))() == 0.0f);
}

TEST_CASE("Linear backward passes the gradient check for x, W and b") {
    Rng rng(11);
    Linear linear(6, 3, rng);
    Tensor<3> x_BLI = xt::zeros<float>({2, 4, 6});
    Tensor<3> g_BLO = xt::zeros<float>({2, 4, 3});
    fill_uniform(x_BLI, -1, 1, rng);
    fill_uniform(g_BLO, -1, 1, rng);
    // L = Σ g ⊙ linear(x), so ∂L/∂y = g.
    auto loss = [&] { return dot_double(linear.forward(x_BLI), g_BLO); };
    linear.forward(x_BLI);
    const auto dx_BLI = linear.backward(g_BLO);
    const xt::xarray<float> dw = linear.weight.grad;
    const xt::xarray<float> db = linear.bias.grad;
    for (const auto& r : {check_gradient("x", x_BLI, dx_BLI, loss),
                          check_gradient("weight", linear.weight.value, dw, loss),
                          check_gradient("bias", linear.bias.value, db, loss)}) {
        INFO(r.report);
        CHECK(r.passed);
    }
}

TEST_CASE("Linear rejects inputs of the wrong width, naming the shape") {
    Rng rng(0);
    Linear linear(5, 4, rng);
    Tensor<3> x = xt::zeros<float>({2, 3, 6});
    CHECK_THROWS_WITH(linear.forward(x),
                      "Linear input: expected last dimension 5, got 6 in shape [2, 3, 6]");
    Tensor<3> ok = xt::zeros<float>({2, 3, 5});
    linear.forward(ok);
    Tensor<3> dy = xt::zeros<float>({2, 2, 4});
    CHECK_THROWS_WITH(linear.backward(dy),
                      "Linear backward: upstream gradient has 4 rows, the last forward had 6");
}

TEST_CASE("softmax matches PyTorch, including huge and masked scores") {
    const auto x = load_fixture<3>("ch00", "softmax_x");
    const auto y = softmax(x);
    CHECK_CLOSE(y, load_fixture<3>("ch00", "softmax_y"), 1e-7, 1e-5);
    const auto dx = softmax_backward(y, load_fixture<3>("ch00", "softmax_dy"));
    CHECK_CLOSE(dx, load_fixture<3>("ch00", "softmax_dx"), 1e-7, 1e-5);
}

TEST_CASE("softmax rows are distributions, on every row (the keep_dims trap)") {
    // Rows with very different maxima: a broadcast of a lazy keep_dims reduction would
    // get every row after the first wrong.
    Tensor<2> x = {{1, 2, 3}, {1000, 1001, 1002}, {-50, 0, 50}, {5, 5, 5}};
    const auto y = softmax(x);
    for (std::size_t r = 0; r < 4; ++r) {
        double sum = 0;
        for (std::size_t c = 0; c < 3; ++c) {
            CHECK(std::isfinite(y(r, c)));
            sum += y(r, c);
        }
        CHECK(sum == Approx(1.0).epsilon(1e-6));
    }
    // Shift invariance: rows 0 and 1 differ by a constant.
    CHECK(y(0, 0) == Approx(y(1, 0)));
    CHECK(y(0, 2) == Approx(y(1, 2)));
    CHECK(y(3, 1) == Approx(1.0 / 3));
    CHECK(y(2, 0) < 1e-40f);  // exp(-100) ≈ 4e-44: tiny (a float32 denormal), not NaN
}

TEST_CASE("softmax backward passes the gradient check") {
    Rng rng(3);
    Tensor<3> x = xt::zeros<float>({2, 3, 5});
    Tensor<3> g = xt::zeros<float>({2, 3, 5});
    fill_uniform(x, -3, 3, rng);
    fill_uniform(g, -1, 1, rng);
    const auto dx = softmax_backward(softmax(x), g);
    const auto r = check_gradient("x", x, dx, [&] { return dot_double(softmax(x), g); });
    INFO(r.report);
    CHECK(r.passed);
    Tensor<3> wrong = xt::zeros<float>({2, 3, 4});
    CHECK_THROWS_AS(softmax_backward(x, wrong), ShapeError);
}
