// Chapter 00: shape checks name the tensor, the expected and the actual shape.
#include <catch2/catch.hpp>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

using namespace tfm;

TEST_CASE("check_shape accepts the right shape, with free dimensions") {
    Tensor<3> x_BLC = xt::zeros<float>({2, 3, 4});
    CHECK_NOTHROW(check_shape("x_BLC", x_BLC, {2, 3, 4}));
    CHECK_NOTHROW(check_shape("x_BLC", x_BLC, {kAny, 3, kAny}));
}

TEST_CASE("check_shape names the tensor, the expected and the actual shape") {
    Tensor<3> x_BLC = xt::zeros<float>({2, 3, 5});
    CHECK_THROWS_WITH(check_shape("x_BLC", x_BLC, {2, 3, 4}),
                      "x_BLC: expected shape [2, 3, 4], got [2, 3, 5]");
    CHECK_THROWS_WITH(check_shape("x_BLC", x_BLC, {kAny, 4, kAny}),
                      "x_BLC: expected shape [*, 4, *], got [2, 3, 5]");
    // A wrong rank is a wrong shape too.
    CHECK_THROWS_AS(check_shape("x_BLC", x_BLC, {2, 3}), ShapeError);
}

TEST_CASE("check_rank and check_size say what disagrees") {
    Tensor<2> w_CF = xt::zeros<float>({4, 8});
    CHECK_THROWS_WITH(check_rank("w_CF", w_CF, 3),
                      "w_CF: expected 3 dimensions, got 2 with shape [4, 8]");
    CHECK_THROWS_WITH(check_size("inner dimension", 4, 5), "inner dimension: expected 4, got 5");
    CHECK_NOTHROW(check_size("inner dimension", 4, 4));
}
