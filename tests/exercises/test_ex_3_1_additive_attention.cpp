// Tests for exercise 3.1 — additive attention, forward and backward.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "00_tensors/random.hpp"
#include "03_attention/exercises/exercises.hpp"
#include "exercises/double_checks.hpp"

using tfm::Tensor;

using tfm::exercises::additive_attention;
using tfm::exercises::AdditiveAttentionGrads;

namespace {
using D2 = xt::xtensor<double, 2>;
using D1 = xt::xtensor<double, 1>;

// The test's own forward, straight from the definition, in double.
D2 forward(const D2& q, const D2& k, const D2& v, const D2& Wq, const D2& Wk, const D1& w,
           const xt::xtensor<bool, 2>& mask) {
    const std::size_t L = q.shape()[0], M = k.shape()[0], K = q.shape()[1], A = w.size();
    D2 out = xt::zeros<double>({L, K});
    for (std::size_t l = 0; l < L; ++l) {
        std::vector<double> e(M);
        for (std::size_t m = 0; m < M; ++m) {
            e[m] = 0.0;
            for (std::size_t a = 0; a < A; ++a) {
                double h = 0.0;
                for (std::size_t c = 0; c < K; ++c) h += Wq(a, c) * q(l, c) + Wk(a, c) * k(m, c);
                e[m] += w(a) * std::tanh(h);
            }
            if (!mask(l, m)) e[m] = -1e9;
        }
        tfm::testing::add_softmax_average(e, v, out, l);
    }
    return out;
}

struct Problem {
    Tensor<2> q = Tensor<2>::from_shape({3, 4}), k = Tensor<2>::from_shape({5, 4}),
              v = Tensor<2>::from_shape({5, 4}), Wq = Tensor<2>::from_shape({6, 4}),
              Wk = Tensor<2>::from_shape({6, 4}), dout = Tensor<2>::from_shape({3, 4});
    Tensor<1> w = Tensor<1>::from_shape({6});
    xt::xtensor<bool, 2> mask = {{true, true, true, true, true},
                                 {true, true, false, true, false},
                                 {true, false, false, false, false}};
    Problem() {
        tfm::Rng rng(31);
        for (Tensor<2>* t : {&q, &k, &v, &Wq, &Wk, &dout}) tfm::fill_normal(*t, 0.0f, 0.7f, rng);
        tfm::fill_normal(w, 0.0f, 1.0f, rng);
    }
    AdditiveAttentionGrads run() const {
        return additive_attention(q, k, v, Wq, Wk, w, mask, dout);
    }
};
}  // namespace

TEST_CASE("exercise 3.1: the output is additive attention's") {
    const Problem p;
    const AdditiveAttentionGrads g = p.run();
    const D2 expected = forward(p.q, p.k, p.v, p.Wq, p.Wk, p.w, p.mask);
    REQUIRE(g.out_LK.shape()[0] == 3);
    REQUIRE(g.out_LK.shape()[1] == 4);
    for (std::size_t l = 0; l < 3; ++l)
        for (std::size_t c = 0; c < 4; ++c)
            CHECK(g.out_LK(l, c) == Approx(expected(l, c)).margin(1e-5));
    // Query 2 sees key 0 alone: its output is v_0.
    for (std::size_t c = 0; c < 4; ++c) CHECK(g.out_LK(2, c) == Approx(p.v(0, c)).margin(1e-6));
}

TEST_CASE("exercise 3.1: every gradient agrees with finite differences") {
    const Problem p;
    const AdditiveAttentionGrads g = p.run();
    D2 q = p.q, k = p.k, v = p.v, Wq = p.Wq, Wk = p.Wk;
    D1 w = p.w;
    const D2 dout = p.dout;
    auto loss = [&] {
        const D2 out = forward(q, k, v, Wq, Wk, w, p.mask);
        double sum = 0.0;
        for (std::size_t i = 0; i < out.size(); ++i) sum += out.data()[i] * dout.data()[i];
        return sum;
    };
    const auto check = [&](const char* name, auto& x, const auto& analytic) {
        tfm::testing::check_in_double(name, x, analytic, loss);
    };
    check("q", q, g.dq_LK);
    check("k", k, g.dk_MK);
    check("v", v, g.dv_MK);
    check("W_q", Wq, g.dW_q_AK);
    check("W_k", Wk, g.dW_k_AK);
    check("w", w, g.dw_A);
}

TEST_CASE("exercise 3.1: shapes that do not fit are named") {
    const Problem p;
    CHECK_THROWS_AS(
        additive_attention(p.q, p.k, p.v, p.Wq, p.Wk, Tensor<1>::from_shape({5}), p.mask, p.dout),
        tfm::ShapeError);
    CHECK_THROWS_AS(additive_attention(p.q, p.k, Tensor<2>::from_shape({4, 4}), p.Wq, p.Wk, p.w,
                                       p.mask, p.dout),
                    tfm::ShapeError);
    CHECK_THROWS_AS(additive_attention(p.q, p.k, p.v, p.Wq, p.Wk, p.w,
                                       xt::xtensor<bool, 2>::from_shape({3, 4}), p.dout),
                    tfm::ShapeError);
}
