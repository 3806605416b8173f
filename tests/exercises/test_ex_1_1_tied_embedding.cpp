// Tests for exercise 1.1 — the gradient of an embedding table used twice.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "00_tensors/random.hpp"
#include "01_embeddings/exercises/exercises.hpp"
#include "exercises/double_checks.hpp"

using tfm::Tensor;

using tfm::exercises::tied_embedding_gradient;

namespace {
// L = Σ g · logits with logits = (√C · E[ids]) · Eᵀ, in double: the test's own forward.
double tied_loss(const xt::xtensor<double, 2>& E, const xt::xtensor<std::int64_t, 1>& ids,
                 const Tensor<2>& g) {
    const std::size_t V = E.shape()[0], C = E.shape()[1];
    double loss = 0.0;
    for (std::size_t l = 0; l < ids.size(); ++l)
        for (std::size_t v = 0; v < V; ++v) {
            double logit = 0.0;
            for (std::size_t c = 0; c < C; ++c) logit += E(ids(l), c) * E(v, c);
            loss += g(l, v) * std::sqrt(double(C)) * logit;
        }
    return loss;
}
}  // namespace

TEST_CASE("exercise 1.1: one token, one class: both paths through the same entry") {
    // V = 1, C = 1: logits = √1 · e · e = e², so ∂L/∂e = 2e · g.
    const Tensor<2> dE = tied_embedding_gradient({0}, Tensor<2>{{3.0f}}, Tensor<2>{{0.5f}});
    REQUIRE(dE.shape()[0] == 1);
    CHECK(dE(0, 0) == Approx(3.0f));
}

TEST_CASE("exercise 1.1: agrees with finite differences, repeated and unused tokens included") {
    tfm::Rng rng(11);
    const std::size_t V = 7, C = 4;
    Tensor<2> E = Tensor<2>::from_shape({V, C});
    Tensor<2> g = Tensor<2>::from_shape({6, V});
    tfm::fill_normal(E, 0.0f, 0.5f, rng);
    tfm::fill_normal(g, 0.0f, 1.0f, rng);
    const xt::xtensor<std::int64_t, 1> ids = {2, 5, 2, 0, 6, 5};  // 1, 3 and 4 only scored
    const Tensor<2> dE = tied_embedding_gradient(ids, E, g);
    REQUIRE(dE.shape()[0] == V);
    REQUIRE(dE.shape()[1] == C);
    xt::xtensor<double, 2> E_double = E;
    tfm::testing::check_in_double(
        "E", E_double, dE, [&] { return tied_loss(E_double, ids, g); }, 1e-3, 1e-4);
}

TEST_CASE("exercise 1.1: ids outside the vocabulary and misshapen gradients are refused") {
    const Tensor<2> E = xt::ones<float>({3, 2});
    CHECK_THROWS_AS(tied_embedding_gradient({0, 3}, E, xt::zeros<float>({2, 3})),
                    std::out_of_range);
    CHECK_THROWS_AS(tied_embedding_gradient({0, -1}, E, xt::zeros<float>({2, 3})),
                    std::out_of_range);
    CHECK_THROWS_AS(tied_embedding_gradient({0, 1}, E, xt::zeros<float>({2, 4})), tfm::ShapeError);
}
