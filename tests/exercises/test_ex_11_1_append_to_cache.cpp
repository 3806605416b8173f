// Tests for exercise 11.1 — appending to the key/value cache.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "11_decoding/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::append_to_cache;

TEST_CASE("exercise 11.1: each head's channels land in its own block, at the position") {
    Tensor<4> cache = xt::zeros<float>({2, 3, 5, 2});  // R 2, H 3, N 5, K 2
    Tensor<3> k = xt::zeros<float>({2, 1, 6});
    for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t c = 0; c < 6; ++c) k(r, 0, c) = float(10 * r + c);
    append_to_cache(cache, k, 3);
    CHECK(cache(0, 0, 3, 0) == 0.0f);
    CHECK(cache(0, 0, 3, 1) == 1.0f);
    CHECK(cache(0, 2, 3, 0) == 4.0f);
    CHECK(cache(1, 1, 3, 1) == 13.0f);
    CHECK(cache(1, 2, 3, 1) == 15.0f);
    double others = 0;
    for (std::size_t r = 0; r < 2; ++r)
        for (std::size_t h = 0; h < 3; ++h)
            for (std::size_t n = 0; n < 5; ++n)
                if (n != 3) others += std::abs(cache(r, h, n, 0)) + std::abs(cache(r, h, n, 1));
    CHECK(others == 0.0);  // nothing else written
}

TEST_CASE("exercise 11.1: wrong shapes and a full cache are errors") {
    Tensor<4> cache = xt::zeros<float>({2, 3, 5, 2});
    CHECK_THROWS_AS(append_to_cache(cache, xt::zeros<float>({2, 1, 5}), 0), tfm::ShapeError);
    CHECK_THROWS_AS(append_to_cache(cache, xt::zeros<float>({3, 1, 6}), 0), tfm::ShapeError);
    CHECK_THROWS_AS(append_to_cache(cache, xt::zeros<float>({2, 1, 6}), 5), std::out_of_range);
}
