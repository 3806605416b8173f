// Tests for exercise 4.3 — the input gradient of multi-head self-attention.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <xtensor/xarray.hpp>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/random.hpp"
#include "04_multi_head_attention/exercises/exercises.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"

using tfm::Tensor;

using tfm::exercises::self_attention_input_gradient;

namespace {
// The worst |a − b| / (1 + |b|) over two tensors of the same size.
template <class A, class B>
double worst_difference(const A& a, const B& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        const double e = b.data()[i];
        worst = std::max(worst, std::abs(double(a.data()[i]) - e) / (1.0 + std::abs(e)));
    }
    return worst;
}
}  // namespace

TEST_CASE(
    "exercise 4.3: the sum of the module's three input gradients, and the same weight gradients") {
    tfm::Rng rng(43);
    tfm::MultiHeadedAttention mha(2, 8, 0.0f, rng);
    Tensor<3> x = xt::zeros<float>({2, 3, 8}), dout = xt::zeros<float>({2, 3, 8});
    tfm::fill_uniform(x, -1.0f, 1.0f, rng);
    tfm::fill_uniform(dout, -1.0f, 1.0f, rng);
    // What the module's own backward gives (checked against PyTorch in chapter 04's tests).
    mha.forward(x, x, x);
    const tfm::MultiHeadGrads g = mha.backward(dout);
    const Tensor<3> expected = g.dquery_BLC + g.dkey_BMC + g.dvalue_BMC;
    const tfm::ParameterList params = mha.parameters();
    std::vector<xt::xarray<float>> expected_grads;
    for (tfm::Parameter* p : params) {
        expected_grads.push_back(p->grad);
        p->zero_grad();
    }
    // The same forward again, then the exercise.
    mha.forward(x, x, x);
    const Tensor<3> dx = self_attention_input_gradient(mha, x, dout);
    REQUIRE(dx.shape() == x.shape());
    CHECK(worst_difference(dx, expected) < 1e-5);
    for (std::size_t i = 0; i < params.size(); ++i) {
        INFO("the gradient of " << params[i]->name);
        REQUIRE(params[i]->grad.size() == expected_grads[i].size());
        CHECK(worst_difference(params[i]->grad, expected_grads[i]) < 1e-5);
    }
}

TEST_CASE("exercise 4.3: passes the gradient check") {
    tfm::Rng rng(44);
    tfm::MultiHeadedAttention mha(3, 6, 0.0f, rng);
    Tensor<3> x = xt::zeros<float>({2, 4, 6}), g = xt::zeros<float>({2, 4, 6});
    tfm::fill_uniform(x, -1.0f, 1.0f, rng);
    tfm::fill_uniform(g, -1.0f, 1.0f, rng);
    // L = Σ g ⊙ MultiHead(x, x, x): x moves in all three roles at once.
    auto loss = [&] { return tfm::dot_double(mha.forward(x, x, x), g); };
    loss();
    const Tensor<3> dx = self_attention_input_gradient(mha, x, g);
    const auto r = tfm::check_gradient("x", x, dx, loss);
    INFO(r.report);
    CHECK(r.passed);
}
