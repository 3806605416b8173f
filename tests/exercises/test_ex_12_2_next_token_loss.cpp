// Tests for exercise 12.2 — the causal language-model loss, and its shift by one.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "12_language_model/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::next_token_loss;

TEST_CASE("exercise 12.2: position t is scored on the id after it") {
    // Logits that put all their weight on one id per row: row 0 on id 2, row 1 on id 0.
    Tensor<2> z = {{0.0f, 0.0f, 50.0f}, {50.0f, 0.0f, 0.0f}};
    CHECK(next_token_loss(z, {1, 2, 0}) ==
          Approx(0.0).margin(1e-9));  // predicts window[1], window[2]
    // Scored on the id it reads instead, it would be wrong everywhere: about 50 nats.
    CHECK(next_token_loss(z, {2, 0, 1}) > 40.0);
}

TEST_CASE(
    "exercise 12.2: uniform logits cost log V, stable for large values, and the window must fit") {
    const Tensor<2> uniform = xt::zeros<float>({3, 4});
    CHECK(next_token_loss(uniform, {0, 1, 2, 3}) == Approx(std::log(4.0)));
    const Tensor<2> big = {{1000.0f, 1000.0f}};
    CHECK(next_token_loss(big, {0, 1}) == Approx(std::log(2.0)));
    CHECK_THROWS_AS(next_token_loss(uniform, {0, 1, 2}), std::invalid_argument);
}
