// Tests for exercise 3.2 — attention with a learned score matrix, forward and backward.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "00_tensors/random.hpp"
#include "03_attention/attention.hpp"
#include "03_attention/exercises/exercises.hpp"
#include "exercises/double_checks.hpp"

using tfm::Tensor;

using tfm::exercises::bilinear_attention;
using tfm::exercises::BilinearAttentionGrads;

namespace {
using D2 = xt::xtensor<double, 2>;

// The test's own forward, from the definition, in double.
D2 forward(const D2& q, const D2& k, const D2& v, const D2& W, const xt::xtensor<bool, 2>& mask) {
    const std::size_t L = q.shape()[0], M = k.shape()[0], K = q.shape()[1];
    D2 out = xt::zeros<double>({L, K});
    for (std::size_t l = 0; l < L; ++l) {
        std::vector<double> s(M, 0.0);
        for (std::size_t m = 0; m < M; ++m) {
            for (std::size_t i = 0; i < K; ++i)
                for (std::size_t j = 0; j < K; ++j) s[m] += q(l, i) * W(i, j) * k(m, j);
            s[m] = mask(l, m) ? s[m] / std::sqrt(double(K)) : -1e9;
        }
        tfm::testing::add_softmax_average(s, v, out, l);
    }
    return out;
}

struct Problem {
    Tensor<2> q = Tensor<2>::from_shape({4, 3}), k = Tensor<2>::from_shape({5, 3}),
              v = Tensor<2>::from_shape({5, 3}), W = Tensor<2>::from_shape({3, 3}),
              dout = Tensor<2>::from_shape({4, 3});
    xt::xtensor<bool, 2> mask = {{true, true, true, true, true},
                                 {true, true, true, false, false},
                                 {false, true, true, true, true},
                                 {true, false, true, false, true}};
    Problem() {
        tfm::Rng rng(32);
        for (Tensor<2>* t : {&q, &k, &v, &W, &dout}) tfm::fill_normal(*t, 0.0f, 1.0f, rng);
    }
    BilinearAttentionGrads run() const { return bilinear_attention(q, k, v, W, mask, dout); }
};
}  // namespace

TEST_CASE("exercise 3.2: the output, and every gradient by finite differences") {
    const Problem p;
    const BilinearAttentionGrads g = p.run();
    const D2 expected = forward(p.q, p.k, p.v, p.W, p.mask);
    REQUIRE(g.out_LK.shape()[0] == 4);
    for (std::size_t i = 0; i < expected.size(); ++i)
        CHECK(g.out_LK.data()[i] == Approx(expected.data()[i]).margin(1e-5));
    D2 q = p.q, k = p.k, v = p.v, W = p.W;
    const D2 dout = p.dout;
    auto loss = [&] {
        const D2 out = forward(q, k, v, W, p.mask);
        double sum = 0.0;
        for (std::size_t i = 0; i < out.size(); ++i) sum += out.data()[i] * dout.data()[i];
        return sum;
    };
    const auto check = [&](const char* name, D2& x, const Tensor<2>& analytic) {
        tfm::testing::check_in_double(name, x, analytic, loss);
    };
    check("q", q, g.dq_LK);
    check("k", k, g.dk_MK);
    check("v", v, g.dv_MK);
    check("W", W, g.dW_KK);
}

TEST_CASE("exercise 3.2: with W the identity it is the chapter's attention") {
    Problem p;
    p.W = xt::eye<float>(3);
    const BilinearAttentionGrads g = p.run();
    tfm::Rng rng(0);
    tfm::ScaledDotProductAttention attention(0.0f, rng);
    auto head = [](const Tensor<2>& x) {
        Tensor<4> out = Tensor<4>::from_shape({1, 1, x.shape()[0], x.shape()[1]});
        std::copy(x.begin(), x.end(), out.begin());
        return out;
    };
    xt::xtensor<bool, 3> mask = xt::xtensor<bool, 3>::from_shape({1, 4, 5});
    std::copy(p.mask.begin(), p.mask.end(), mask.begin());
    const Tensor<4> out = attention.forward(head(p.q), head(p.k), head(p.v), mask);
    const tfm::AttentionGrads a = attention.backward(head(p.dout));
    for (std::size_t i = 0; i < out.size(); ++i) {
        CHECK(g.out_LK.data()[i] == Approx(out.data()[i]).margin(1e-6));
        CHECK(g.dq_LK.data()[i] == Approx(a.dq_BHLK.data()[i]).margin(1e-6));
    }
    for (std::size_t i = 0; i < a.dk_BHMK.size(); ++i) {
        CHECK(g.dk_MK.data()[i] == Approx(a.dk_BHMK.data()[i]).margin(1e-6));
        CHECK(g.dv_MK.data()[i] == Approx(a.dv_BHMK.data()[i]).margin(1e-6));
    }
}

TEST_CASE("exercise 3.2: shapes that do not fit are named") {
    const Problem p;
    CHECK_THROWS_AS(
        bilinear_attention(p.q, p.k, p.v, Tensor<2>::from_shape({3, 4}), p.mask, p.dout),
        tfm::ShapeError);
    CHECK_THROWS_AS(bilinear_attention(p.q, p.k, p.v, p.W, p.mask, Tensor<2>::from_shape({4, 2})),
                    tfm::ShapeError);
}
