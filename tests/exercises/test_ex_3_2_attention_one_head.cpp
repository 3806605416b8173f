// Tests for exercise 3.2 — one head of scaled dot-product attention.
#include <catch2/catch.hpp>

#include "00_tensors/shapes.hpp"
#include "03_attention/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::attention_one_head;

TEST_CASE("exercise 3.2: weights follow softmax(q·kᵀ/√K), output averages the values") {
    // K = 4, so scores are dot products / 2. Query 0 matches key 0 strongly.
    const Tensor<2> q = {{2, 0, 0, 0}, {0, 0, 0, 0}};
    const Tensor<2> k = {{2, 0, 0, 0}, {0, 2, 0, 0}};
    const Tensor<2> v = {{1, 0, 0, 0}, {0, 1, 0, 0}};
    const xt::xtensor<bool, 2> all = {{true, true}, {true, true}};
    const auto out = attention_one_head(q, k, v, all);
    // Row 0: scores (4/2, 0) = (2, 0) → weights (e²/(e²+1), 1/(e²+1)).
    CHECK(out(0, 0) == Approx(0.8807971f));
    CHECK(out(0, 1) == Approx(0.1192029f));
    // Row 1: equal scores → equal weights → the mean of the values.
    CHECK(out(1, 0) == Approx(0.5f));
    CHECK(out(1, 1) == Approx(0.5f));
}

TEST_CASE("exercise 3.2: masked keys get exactly zero weight") {
    const Tensor<2> q = {{1, 1}, {1, 1}};
    const Tensor<2> k = {{1, 0}, {0, 1}, {5, 5}};
    const Tensor<2> v = {{1, 0}, {0, 1}, {100, 100}};
    const xt::xtensor<bool, 2> mask = {{true, true, false}, {true, false, false}};
    const auto out = attention_one_head(q, k, v, mask);
    CHECK(out(0, 0) == Approx(0.5f));  // keys 0 and 1 tie; key 2 is masked
    CHECK(out(0, 1) == Approx(0.5f));
    CHECK(out(1, 0) == Approx(1.0f));  // only key 0 is visible
    CHECK(out(1, 1) == Approx(0.0f).margin(1e-6));
}

TEST_CASE("exercise 3.2: shapes that do not fit are shape errors") {
    const Tensor<2> q = xt::zeros<float>({2, 4});
    const Tensor<2> k = xt::zeros<float>({3, 4});
    const Tensor<2> v = xt::zeros<float>({3, 4});
    const xt::xtensor<bool, 2> mask = xt::ones<bool>({2, 3});
    CHECK_NOTHROW(attention_one_head(q, k, v, mask));
    CHECK_THROWS_AS(attention_one_head(q, Tensor<2>(xt::zeros<float>({3, 5})), v, mask),
                    tfm::ShapeError);
    CHECK_THROWS_AS(attention_one_head(q, k, Tensor<2>(xt::zeros<float>({2, 4})), mask),
                    tfm::ShapeError);
    CHECK_THROWS_AS(attention_one_head(q, k, v, xt::xtensor<bool, 2>(xt::ones<bool>({2, 2}))),
                    tfm::ShapeError);
}
