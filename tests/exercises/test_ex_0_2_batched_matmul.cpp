// Tests for exercise 0.2 — a batched matrix product on BLAS sgemm.
#include <catch2/catch.hpp>

#include <xtensor/xview.hpp>

#include "00_tensors/exercises/exercises.hpp"
#include "00_tensors/matmul.hpp"
#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"

using tfm::Tensor;

using tfm::exercises::batched_matmul;

TEST_CASE("exercise 0.2: every slice is the product of the matching slices") {
    tfm::Rng rng(1);
    const std::size_t B = 3, R = 4, I = 5, O = 2;
    Tensor<3> a = xt::zeros<float>({B, R, I});
    Tensor<3> b = xt::zeros<float>({B, I, O});
    tfm::fill_uniform(a, -1, 1, rng);
    tfm::fill_uniform(b, -1, 1, rng);
    Tensor<3> c = xt::zeros<float>({B, R, O});
    c.fill(123.0f);  // the product must overwrite, not add to, what was there
    batched_matmul(a, b, c);
    for (std::size_t i = 0; i < B; ++i) {
        const Tensor<2> expected =
            tfm::matmul_naive(Tensor<2>(xt::view(a, i)), Tensor<2>(xt::view(b, i)));
        for (std::size_t r = 0; r < R; ++r) {
            for (std::size_t col = 0; col < O; ++col) {
                CHECK(c(i, r, col) == Approx(expected(r, col)).margin(1e-5));
            }
        }
    }
}

TEST_CASE("exercise 0.2: shapes that do not fit are shape errors") {
    Tensor<3> a = xt::zeros<float>({2, 3, 4});
    Tensor<3> c = xt::zeros<float>({2, 3, 5});
    Tensor<3> wrong_batch = xt::zeros<float>({3, 4, 5});
    Tensor<3> wrong_inner = xt::zeros<float>({2, 6, 5});
    Tensor<3> b = xt::zeros<float>({2, 4, 5});
    // c must be [B, R, O] in every dimension: sgemm trusts the pointers and strides it is
    // given, so a c of any other shape gets its slices at the wrong offsets, or past its end.
    Tensor<3> wrong_c_columns = xt::zeros<float>({2, 3, 4});
    Tensor<3> wrong_c_rows = xt::zeros<float>({2, 4, 5});
    Tensor<3> wrong_c_batch = xt::zeros<float>({3, 3, 5});
    CHECK_THROWS_AS(batched_matmul(a, wrong_batch, c), tfm::ShapeError);
    CHECK_THROWS_AS(batched_matmul(a, wrong_inner, c), tfm::ShapeError);
    CHECK_THROWS_AS(batched_matmul(a, b, wrong_c_columns), tfm::ShapeError);
    CHECK_THROWS_AS(batched_matmul(a, b, wrong_c_rows), tfm::ShapeError);
    CHECK_THROWS_AS(batched_matmul(a, b, wrong_c_batch), tfm::ShapeError);
    CHECK_NOTHROW(batched_matmul(a, b, c));
}
