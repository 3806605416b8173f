// Tests for exercise 5.1 — ReLU's backward.
#include <catch2/catch.hpp>

#include "00_tensors/shapes.hpp"
#include "05_feed_forward/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::relu_backward;

TEST_CASE("exercise 5.1: the gradient passes where the unit was active, and only there") {
    const Tensor<2> h = {{1.5f, -2.0f, 0.0f}, {-0.1f, 3.0f, 1e-6f}};
    const Tensor<2> da = {{10, 20, 30}, {40, 50, 60}};
    const auto dh = relu_backward(h, da);
    const Tensor<2> expected = {{10, 0, 0}, {0, 50, 60}};
    CHECK((dh == expected));
}

TEST_CASE("exercise 5.1: shapes must agree") {
    CHECK_THROWS_AS(relu_backward(xt::zeros<float>({2, 3}), xt::zeros<float>({2, 4})),
                    tfm::ShapeError);
}
