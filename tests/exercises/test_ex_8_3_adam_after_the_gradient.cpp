// Tests for exercise 8.3 — Adam after the gradient stops.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "00_tensors/parameter.hpp"
#include "08_training/exercises/exercises.hpp"
#include "08_training/optimizer.hpp"

using tfm::exercises::adam_change_at_step;

TEST_CASE("exercise 8.3: the first step moves by the learning rate, whatever the gradient") {
    for (double g : {1e-4, 0.3, 50.0}) CHECK(adam_change_at_step(g, 1, 1, 0.01) == Approx(-0.01));
    CHECK(adam_change_at_step(-2.0, 3, 2, 0.5) == Approx(0.5));
    CHECK(adam_change_at_step(0.0, 5, 3, 0.01) == 0.0);  // never a gradient: never a step
    CHECK_THROWS_AS(adam_change_at_step(1.0, 1, 0, 0.01), std::invalid_argument);
}

TEST_CASE("exercise 8.3: agrees with the chapter's Adam, step by step") {
    for (double g : {0.3, -2e-4}) {
        for (std::size_t k : {1, 5, 30}) {
            tfm::Parameter p("p", {1});
            tfm::Adam adam({&p});
            for (std::size_t t = 1; t <= 60; ++t) {
                p.grad(0) = t <= k ? float(g) : 0.0f;
                const float before = p.value(0);
                adam.step(0.01);
                const double change = double(p.value(0)) - before;
                INFO("g " << g << ", gradient for " << k << " steps, step " << t);
                CHECK(adam_change_at_step(g, k, t, 0.01) ==
                      Approx(change).epsilon(1e-3).margin(1e-9));
            }
        }
    }
}
