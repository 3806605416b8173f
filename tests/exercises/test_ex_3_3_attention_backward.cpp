// Tests for exercise 3.3 — the backward of one head of attention: dq and dk.
#include <catch2/catch.hpp>

#include <algorithm>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/random.hpp"
#include "03_attention/attention.hpp"
#include "03_attention/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::attention_one_head_backward;

namespace {
Tensor<2> random_matrix(std::size_t rows, std::size_t cols, tfm::Rng& rng) {
    Tensor<2> t = xt::zeros<float>({rows, cols});
    tfm::fill_uniform(t, -1.5f, 1.5f, rng);
    return t;
}

// The same matrix as one (batch entry, head) slice [1, 1, rows, cols]: the chapter's layout.
Tensor<4> as_head(const Tensor<2>& t) {
    Tensor<4> out = Tensor<4>::from_shape({1, 1, t.shape()[0], t.shape()[1]});
    std::copy(t.data(), t.data() + t.size(), out.data());
    return out;
}
}  // namespace

TEST_CASE("exercise 3.3: dq, dk and dv agree with the chapter's attention backward") {
    tfm::Rng rng(31);
    const std::size_t L = 3, M = 5, K = 4;
    const auto q = random_matrix(L, K, rng), k = random_matrix(M, K, rng),
               v = random_matrix(M, K, rng), dout = random_matrix(L, K, rng);
    // The chapter's attention, checked against PyTorch in chapter 03's tests.
    tfm::ScaledDotProductAttention attention(0.0f, rng);
    attention.forward(as_head(q), as_head(k), as_head(v));
    const tfm::AttentionGrads expected = attention.backward(as_head(dout));
    const auto grads = attention_one_head_backward(q, k, v, dout);
    REQUIRE(grads.dq_LK.shape()[0] == L);
    REQUIRE(grads.dq_LK.shape()[1] == K);
    REQUIRE(grads.dk_MK.shape()[0] == M);
    REQUIRE(grads.dk_MK.shape()[1] == K);
    for (std::size_t l = 0; l < L; ++l)
        for (std::size_t c = 0; c < K; ++c)
            CHECK(grads.dq_LK(l, c) == Approx(expected.dq_BHLK(0, 0, l, c)).margin(1e-5));
    for (std::size_t m = 0; m < M; ++m)
        for (std::size_t c = 0; c < K; ++c) {
            CHECK(grads.dk_MK(m, c) == Approx(expected.dk_BHMK(0, 0, m, c)).margin(1e-5));
            CHECK(grads.dv_MK(m, c) == Approx(expected.dv_BHMK(0, 0, m, c)).margin(1e-5));
        }
}

TEST_CASE("exercise 3.3: dq and dk pass the gradient check") {
    tfm::Rng rng(32);
    auto q = random_matrix(4, 8, rng), k = random_matrix(6, 8, rng);
    const auto v = random_matrix(6, 8, rng), dout = random_matrix(4, 8, rng);
    tfm::ScaledDotProductAttention attention(0.0f, rng);
    // L = Σ dout ⊙ out, so that ∂L/∂out = dout.
    auto loss = [&] {
        return tfm::dot_double(attention.forward(as_head(q), as_head(k), as_head(v)),
                               as_head(dout));
    };
    const auto grads = attention_one_head_backward(q, k, v, dout);
    for (const auto& r : {tfm::check_gradient("q", q, grads.dq_LK, loss),
                          tfm::check_gradient("k", k, grads.dk_MK, loss)}) {
        INFO(r.report);
        CHECK(r.passed);
    }
}

TEST_CASE("exercise 3.3: identical keys give the queries no gradient") {
    // With every key the same, a query's scores are all equal whatever the query is: the
    // weights stay uniform, q cannot change the output, and dq must be 0.
    tfm::Rng rng(33);
    const auto q = random_matrix(3, 4, rng), v = random_matrix(5, 4, rng),
               dout = random_matrix(3, 4, rng);
    const auto one_key = random_matrix(1, 4, rng);
    Tensor<2> k = xt::zeros<float>({5, 4});
    for (std::size_t m = 0; m < 5; ++m)
        for (std::size_t c = 0; c < 4; ++c) k(m, c) = one_key(0, c);
    const auto grads = attention_one_head_backward(q, k, v, dout);
    REQUIRE(grads.dq_LK.size() == q.size());
    for (float g : grads.dq_LK) CHECK(g == Approx(0.0f).margin(1e-6));
}
