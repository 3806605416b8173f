// Chapter 03: scaled dot-product attention — against PyTorch (outputs, weights,
// gradients), its invariants, the fully masked row, permutation equivariance, dropout,
// gradient checks with and without masks, and shape errors.
#include <catch2/catch.hpp>

#include <xtensor/xview.hpp>

#include "00_tensors/gradcheck.hpp"
#include "03_attention/attention.hpp"
#include "03_attention/masks.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::fixture;
using tfm::testing::load_fixture;

namespace {
Tensor<4> random4(std::size_t a, std::size_t b, std::size_t c, std::size_t d, Rng& rng) {
    Tensor<4> t = xt::zeros<float>({a, b, c, d});
    fill_uniform(t, -1, 1, rng);
    return t;
}

void check_against_pytorch(const std::string& name) {
    const auto q = load_fixture<4>("ch03", name + "_q");
    const auto k = load_fixture<4>("ch03", name + "_k");
    const auto v = load_fixture<4>("ch03", name + "_v");
    const auto mask = load_npy<bool, 3>(fixture("ch03", name + "_mask"));
    Rng rng(0);
    ScaledDotProductAttention attention(0.0f, rng);
    const auto out = attention.forward(q, k, v, mask);
    CHECK_CLOSE(out, load_fixture<4>("ch03", name + "_out"), 1e-5, 1e-5);
    CHECK_CLOSE(attention.probabilities(), load_fixture<4>("ch03", name + "_p"), 1e-6, 1e-5);
    const auto grads = attention.backward(load_fixture<4>("ch03", name + "_dout"));
    CHECK_CLOSE(grads.dq_BHLK, load_fixture<4>("ch03", name + "_dq"), 1e-5, 1e-4);
    CHECK_CLOSE(grads.dk_BHMK, load_fixture<4>("ch03", name + "_dk"), 1e-5, 1e-4);
    CHECK_CLOSE(grads.dv_BHMK, load_fixture<4>("ch03", name + "_dv"), 1e-5, 1e-4);
}
}  // namespace

TEST_CASE("attention matches PyTorch with a padding mask and L != M (cross-attention shapes)") {
    check_against_pytorch("attn_pad");
}

TEST_CASE("attention matches PyTorch with the decoder's padding-and-causal mask") {
    check_against_pytorch("attn_causal");
}

TEST_CASE("weights: rows sum to 1, masked positions get exactly zero") {
    Rng rng(1);
    const auto q = random4(2, 2, 5, 4, rng), k = random4(2, 2, 5, 4, rng),
               v = random4(2, 2, 5, 4, rng);
    ScaledDotProductAttention attention(0.0f, rng);
    const xt::xtensor<std::int64_t, 2> ids = {{1, 2, 3, 0, 0}, {4, 5, 6, 7, 8}};
    const auto pad = padding_mask(ids, 0);
    attention.forward(q, k, v, pad);
    const auto& p = attention.probabilities();
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t h = 0; h < 2; ++h)
            for (std::size_t l = 0; l < 5; ++l) {
                double sum = 0;
                for (std::size_t m = 0; m < 5; ++m) {
                    sum += p(b, h, l, m);
                    if (!pad(b, 0, m)) CHECK(p(b, h, l, m) == 0.0f);
                }
                CHECK(sum == Approx(1.0).epsilon(1e-6));
            }
    attention.forward(q, k, v, subsequent_mask(5));
    for (std::size_t l = 0; l < 5; ++l)
        for (std::size_t m = l + 1; m < 5; ++m)
            CHECK(attention.probabilities()(1, 1, l, m) == 0.0f);
}

TEST_CASE("identical keys give every query the mean of the values") {
    Rng rng(2);
    const auto q = random4(1, 2, 3, 4, rng), v = random4(1, 2, 5, 4, rng);
    Tensor<4> k = xt::zeros<float>({1, 2, 5, 4});
    for (std::size_t m = 0; m < 5; ++m) xt::view(k, 0, xt::all(), m) = xt::view(q, 0, xt::all(), 0);
    ScaledDotProductAttention attention(0.0f, rng);
    const auto out = attention.forward(q, k, v);
    for (std::size_t h = 0; h < 2; ++h)
        for (std::size_t l = 0; l < 3; ++l)
            for (std::size_t c = 0; c < 4; ++c) {
                double mean = 0;
                for (std::size_t m = 0; m < 5; ++m) mean += v(0, h, m, c) / 5.0;
                CHECK(out(0, h, l, c) == Approx(mean).margin(1e-6));
            }
}

TEST_CASE("a query whose keys are all masked gets uniform weights and no q/k gradient") {
    Rng rng(3);
    const auto q = random4(1, 1, 2, 3, rng), k = random4(1, 1, 4, 3, rng),
               v = random4(1, 1, 4, 3, rng);
    // Query 0 may see nothing; query 1 sees keys 0 and 1.
    const xt::xtensor<bool, 3> mask = {{{false, false, false, false}, {true, true, false, false}}};
    ScaledDotProductAttention attention(0.0f, rng);
    const auto out = attention.forward(q, k, v, mask);
    for (std::size_t m = 0; m < 4; ++m)
        CHECK(attention.probabilities()(0, 0, 0, m) == Approx(0.25f));
    for (std::size_t c = 0; c < 3; ++c) {
        const double mean = (v(0, 0, 0, c) + v(0, 0, 1, c) + v(0, 0, 2, c) + v(0, 0, 3, c)) / 4.0;
        CHECK(out(0, 0, 0, c) == Approx(mean).margin(1e-6));
    }
    Tensor<4> dout = xt::ones<float>({1, 1, 2, 3});
    const auto grads = attention.backward(dout);
    for (std::size_t c = 0; c < 3; ++c) CHECK(grads.dq_BHLK(0, 0, 0, c) == 0.0f);
}

TEST_CASE("permuting the input rows permutes the output rows the same way (order is lost)") {
    Rng rng(4);
    const std::size_t L = 5;
    const auto x = random4(1, 1, L, 4, rng);
    const std::size_t perm[L] = {3, 0, 4, 1, 2};
    Tensor<4> x_perm = x;
    for (std::size_t l = 0; l < L; ++l) xt::view(x_perm, 0, 0, l) = xt::view(x, 0, 0, perm[l]);
    ScaledDotProductAttention attention(0.0f, rng);
    const auto out = attention.forward(x, x, x);
    const auto out_perm = attention.forward(x_perm, x_perm, x_perm);
    for (std::size_t l = 0; l < L; ++l)
        for (std::size_t c = 0; c < 4; ++c)
            CHECK(out_perm(0, 0, l, c) == Approx(out(0, 0, perm[l], c)).margin(1e-6));
}

TEST_CASE("backward passes the gradient check for q, k and v, with and without masks") {
    Rng rng(5);
    auto q = random4(2, 2, 3, 4, rng), k = random4(2, 2, 5, 4, rng), v = random4(2, 2, 5, 4, rng);
    const auto g = random4(2, 2, 3, 4, rng);
    const xt::xtensor<std::int64_t, 2> ids = {{1, 2, 3, 0, 0}, {4, 5, 6, 7, 0}};
    const auto pad = padding_mask(ids, 0);
    ScaledDotProductAttention attention(0.0f, rng);
    for (bool masked : {false, true}) {
        auto loss = [&] {
            return dot_double(masked ? attention.forward(q, k, v, pad) : attention.forward(q, k, v),
                              g);
        };
        loss();
        const auto grads = attention.backward(g);
        for (const auto& r : {check_gradient("q", q, grads.dq_BHLK, loss),
                              check_gradient("k", k, grads.dk_BHMK, loss),
                              check_gradient("v", v, grads.dv_BHMK, loss)}) {
            INFO((masked ? "masked: " : "unmasked: ") << r.report);
            CHECK(r.passed);
        }
    }
}

TEST_CASE("dropout on the weights: training only, seeded, and backward uses the same mask") {
    Rng rng(6);
    auto q = random4(1, 2, 4, 3, rng), k = random4(1, 2, 4, 3, rng), v = random4(1, 2, 4, 3, rng);
    const auto g = random4(1, 2, 4, 3, rng);
    Rng dropout_rng(7);
    ScaledDotProductAttention attention(0.3f, dropout_rng);
    attention.train(false);
    const auto out_eval = attention.forward(q, k, v);
    attention.train(true);
    const std::string state = dropout_rng.state();
    const auto out_train = attention.forward(q, k, v);
    CHECK_FALSE((out_train == out_eval));
    // Re-seeding the generator draws the same dropout mask, so finite differences see the
    // same function that backward differentiated.
    auto loss = [&] {
        dropout_rng.set_state(state);
        return dot_double(attention.forward(q, k, v), g);
    };
    loss();
    const auto grads = attention.backward(g);
    for (const auto& r : {check_gradient("q", q, grads.dq_BHLK, loss),
                          check_gradient("v", v, grads.dv_BHMK, loss)}) {
        INFO(r.report);
        CHECK(r.passed);
    }
}

TEST_CASE("shapes that do not fit are errors naming the tensor") {
    Rng rng(8);
    const auto q = random4(2, 2, 3, 4, rng), k = random4(2, 2, 5, 4, rng),
               v = random4(2, 2, 5, 4, rng);
    ScaledDotProductAttention attention(0.0f, rng);
    CHECK_THROWS_WITH(attention.forward(q, random4(2, 2, 5, 3, rng), v),
                      "attention k_BHMK: expected shape [2, 2, *, 4], got [2, 2, 5, 3]");
    CHECK_THROWS_WITH(attention.forward(q, k, random4(2, 2, 6, 4, rng)),
                      "attention v_BHMK: expected shape [2, 2, 5, 4], got [2, 2, 6, 4]");
    CHECK_THROWS_WITH(attention.forward(q, k, v, xt::xtensor<bool, 3>(xt::ones<bool>({2, 1, 4}))),
                      "attention mask_BXM: expected shape [1 or 2, 1 or 3, 5], got [2, 1, 4]");
    attention.forward(q, k, v);
    CHECK_THROWS_AS(attention.backward(random4(2, 2, 4, 4, rng)), ShapeError);
}
