// Tests for exercise 2.1 — how similar are the encodings of two positions?
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "02_positional_encoding/exercises/exercises.hpp"
#include "02_positional_encoding/positional_encoding.hpp"

using tfm::exercises::encoding_dot_product;

TEST_CASE("exercise 2.1: exact values") {
    // C = 2: one pair, ω = 1: the dot product is cos k.
    CHECK(encoding_dot_product(0, 2) == Approx(1.0));
    CHECK(encoding_dot_product(3, 2) == Approx(std::cos(3.0)));
    // Every encoding has squared length C/2.
    CHECK(encoding_dot_product(0, 512) == Approx(256.0));
    // C = 4: ω = 1 and 1/100.
    CHECK(encoding_dot_product(7, 4) == Approx(std::cos(7.0) + std::cos(0.07)));
    // Symmetric in k.
    CHECK(encoding_dot_product(-25, 64) == Approx(encoding_dot_product(25, 64)));
    CHECK_THROWS_AS(encoding_dot_product(1, 7), std::invalid_argument);
    CHECK_THROWS_AS(encoding_dot_product(1, 0), std::invalid_argument);
}

TEST_CASE("exercise 2.1: the table's dot products depend on the distance alone") {
    for (std::size_t C : {8, 64, 512}) {
        const tfm::Tensor<2> pe = tfm::positional_table(1200, C);
        for (long k : {0L, 1L, 2L, 5L, 17L, 100L, 333L}) {
            const double expected = encoding_dot_product(k, C);
            for (std::size_t p : {0, 1, 40, 511, 866}) {
                double dot = 0.0;
                for (std::size_t c = 0; c < C; ++c) dot += double(pe(p, c)) * pe(p + k, c);
                INFO("C = " << C << ", p = " << p << ", k = " << k);
                CHECK(dot == Approx(expected).margin(0.01));
            }
        }
    }
}
