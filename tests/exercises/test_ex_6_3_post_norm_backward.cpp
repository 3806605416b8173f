// Tests for exercise 6.3 — the backward of a post-norm residual connection, for one row.
#include <catch2/catch.hpp>

#include <cstdint>

#include <xtensor/xview.hpp>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/linear.hpp"
#include "00_tensors/random.hpp"
#include "06_layer_norm_residual/exercises/exercises.hpp"
#include "06_layer_norm_residual/layer_norm.hpp"
#include "06_layer_norm_residual/sublayer.hpp"

using tfm::Tensor;

using tfm::exercises::post_norm_backward_row;

namespace {
// One row as a [1, 1, C] tensor: the chapter's layout.
Tensor<3> as_row(const Tensor<1>& v) {
    Tensor<3> out = Tensor<3>::from_shape({1, 1, v.size()});
    for (std::size_t i = 0; i < v.size(); ++i) out(0, 0, i) = v(i);
    return out;
}

// A Linear sublayer s(x) = x·Wᵀ + b inside the chapter's post-norm SublayerConnection:
// its Jacobian ∂s_i/∂x_j is W(i, j), the weight itself.
struct PostNormRow {
    PostNormRow(std::size_t C, std::uint64_t seed)
        : rng(seed), sub(C, C, rng), residual(C, 0.0f, rng, "", tfm::NormPlacement::Post) {
        tfm::fill_uniform(residual.norm.a_2.value, 0.5f, 1.5f, rng);
        tfm::fill_uniform(residual.norm.b_2.value, -0.5f, 0.5f, rng);
        x = xt::zeros<float>({std::size_t(1), std::size_t(1), C});
        dy = x;
        tfm::fill_uniform(x, -2.0f, 2.0f, rng);
        tfm::fill_uniform(dy, -1.0f, 1.0f, rng);
    }
    Tensor<3> forward() {
        return residual.forward(x, [&](const Tensor<3>& h) { return sub.forward(h); });
    }
    Tensor<3> backward() {
        return residual.backward(dy, [&](const Tensor<3>& d) { return sub.backward(d); });
    }
    // The exercise, on this row, with this sublayer's output and Jacobian.
    Tensor<1> exercise() {
        const Tensor<3> s = sub.forward(x);
        const Tensor<2> J = sub.weight.value;
        return post_norm_backward_row(xt::view(x, 0, 0), xt::view(s, 0, 0), J,
                                      residual.norm.a_2.value, xt::view(dy, 0, 0), 1e-6f);
    }

    tfm::Rng rng;
    tfm::Linear sub;
    tfm::SublayerConnection residual;
    Tensor<3> x, dy;
};
}  // namespace

TEST_CASE("exercise 6.3: agrees with the chapter's post-norm SublayerConnection around a Linear") {
    PostNormRow row(6, 63);
    row.forward();
    const Tensor<3> expected = row.backward();
    const auto dx = row.exercise();
    REQUIRE(dx.size() == 6);
    for (std::size_t i = 0; i < 6; ++i) CHECK(dx(i) == Approx(expected(0, 0, i)).margin(1e-5));
}

TEST_CASE("exercise 6.3: passes the gradient check through the norm, the sum and the sublayer") {
    PostNormRow row(5, 64);
    const auto dx = row.exercise();
    REQUIRE(dx.size() == 5);
    const Tensor<3> dx_11C = as_row(dx);
    auto loss = [&] { return tfm::dot_double(row.forward(), row.dy); };
    const auto r = tfm::check_gradient("x", row.x, dx_11C, loss);
    INFO(r.report);
    CHECK(r.passed);
}

TEST_CASE("exercise 6.3: with a zero sublayer only the norm's backward is left") {
    const Tensor<1> x = {0.5f, -1.0f, 2.0f, 0.0f};
    const Tensor<1> dy = {1.0f, -2.0f, 0.5f, 0.25f};
    const Tensor<1> a = {1.0f, 1.5f, 0.5f, 2.0f};
    const Tensor<1> zero_C = xt::zeros<float>({4});
    const Tensor<2> zero_CC = xt::zeros<float>({4, 4});
    tfm::LayerNorm norm(4);
    norm.a_2.value = a;
    norm.forward(as_row(x));
    const auto expected = norm.backward(as_row(dy));
    const auto dx = post_norm_backward_row(x, zero_C, zero_CC, a, dy, 1e-6f);
    REQUIRE(dx.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(dx(i) == Approx(expected(0, 0, i)).margin(1e-5));
}
