// Tests for exercise 4.1 — grouped-query attention, forward and backward.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <tuple>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/random.hpp"
#include "03_attention/attention.hpp"
#include "04_multi_head_attention/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::grouped_query_attention;
using tfm::exercises::GroupedAttentionGrads;

namespace {
constexpr std::size_t B = 2, H = 4, L = 3, M = 5, K = 4;

// The chapter's attention on keys and values given per group, copied to every query head:
// the test's forward, built from the library's own pieces.
Tensor<4> reference_forward(const Tensor<4>& q, const Tensor<4>& k, const Tensor<4>& v,
                            const xt::xtensor<bool, 3>& mask) {
    const std::size_t G = k.shape()[1];
    Tensor<4> k_full = Tensor<4>::from_shape({B, H, M, K}), v_full = k_full;
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H; ++h)
            for (std::size_t m = 0; m < M; ++m)
                for (std::size_t c = 0; c < K; ++c) {
                    k_full(b, h, m, c) = k(b, h / (H / G), m, c);
                    v_full(b, h, m, c) = v(b, h / (H / G), m, c);
                }
    tfm::Rng rng(0);
    tfm::ScaledDotProductAttention attention(0.0f, rng);
    return attention.forward(q, k_full, v_full, mask);
}

struct Problem {
    Tensor<4> q = Tensor<4>::from_shape({B, H, L, K}), dout = q;
    Tensor<4> k, v;
    xt::xtensor<bool, 3> mask = {{{true, true, true, true, false}},
                                 {{true, true, true, true, true}}};  // [B, 1, M]
    explicit Problem(std::size_t G) {
        tfm::Rng rng(41 + G);
        k = Tensor<4>::from_shape({B, G, M, K});
        v = k;
        for (Tensor<4>* t : {&q, &k, &v, &dout}) tfm::fill_normal(*t, 0.0f, 1.0f, rng);
    }
};
}  // namespace

TEST_CASE("exercise 4.1: with one key/value head per query head it is multi-head attention") {
    const Problem p(H);
    const GroupedAttentionGrads g = grouped_query_attention(p.q, p.k, p.v, p.mask, p.dout);
    tfm::Rng rng(0);
    tfm::ScaledDotProductAttention attention(0.0f, rng);
    const Tensor<4> out = attention.forward(p.q, p.k, p.v, p.mask);
    const tfm::AttentionGrads d = attention.backward(p.dout);
    REQUIRE(g.out_BHLK.shape() == out.shape());
    REQUIRE(g.dk_BGMK.shape() == d.dk_BHMK.shape());
    for (std::size_t i = 0; i < out.size(); ++i) {
        CHECK(g.out_BHLK.data()[i] == Approx(out.data()[i]).margin(1e-6));
        CHECK(g.dq_BHLK.data()[i] == Approx(d.dq_BHLK.data()[i]).margin(1e-6));
    }
    for (std::size_t i = 0; i < d.dk_BHMK.size(); ++i) {
        CHECK(g.dk_BGMK.data()[i] == Approx(d.dk_BHMK.data()[i]).margin(1e-6));
        CHECK(g.dv_BGMK.data()[i] == Approx(d.dv_BHMK.data()[i]).margin(1e-6));
    }
}

TEST_CASE("exercise 4.1: shared keys and values, two groups and one, by finite differences") {
    for (std::size_t G : {2, 1}) {
        Problem p(G);
        const GroupedAttentionGrads g = grouped_query_attention(p.q, p.k, p.v, p.mask, p.dout);
        REQUIRE(g.dk_BGMK.shape()[1] == G);
        const Tensor<4> out = reference_forward(p.q, p.k, p.v, p.mask);
        for (std::size_t i = 0; i < out.size(); ++i)
            CHECK(g.out_BHLK.data()[i] == Approx(out.data()[i]).margin(1e-5));
        auto loss = [&] {
            return tfm::dot_double(reference_forward(p.q, p.k, p.v, p.mask), p.dout);
        };
        for (auto [name, x, analytic] :
             {std::tuple{"q", &p.q, &g.dq_BHLK}, std::tuple{"k", &p.k, &g.dk_BGMK},
              std::tuple{"v", &p.v, &g.dv_BGMK}}) {
            const auto r = tfm::check_gradient(name, *x, *analytic, loss);
            INFO("G = " << G << ": " << r.report);
            CHECK(r.passed);
        }
    }
}

TEST_CASE("exercise 4.1: the groups must divide the heads, and shapes must fit") {
    const Problem p(2);
    const Tensor<4> k3 = Tensor<4>::from_shape({B, 3, M, K});
    CHECK_THROWS_AS(grouped_query_attention(p.q, k3, k3, p.mask, p.dout), std::invalid_argument);
    CHECK_THROWS_AS(
        grouped_query_attention(p.q, p.k, Tensor<4>::from_shape({B, 2, M + 1, K}), p.mask, p.dout),
        tfm::ShapeError);
}
