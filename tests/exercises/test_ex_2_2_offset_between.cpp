// Tests for exercise 2.2 — read the distance between two positions off their encodings.
#include <catch2/catch.hpp>

#include <xtensor/xview.hpp>

#include "00_tensors/random.hpp"
#include "02_positional_encoding/exercises/exercises.hpp"
#include "02_positional_encoding/positional_encoding.hpp"

using tfm::Tensor;

using tfm::exercises::offset_between;

namespace {
Tensor<1> row(const Tensor<2>& pe, std::size_t p) {
    return xt::view(pe, p, xt::all());
}
}  // namespace

TEST_CASE("exercise 2.2: near and far, forwards and backwards") {
    const Tensor<2> pe = tfm::positional_table(5000, 64);
    CHECK(offset_between(row(pe, 10), row(pe, 10)) == 0);
    CHECK(offset_between(row(pe, 10), row(pe, 11)) == 1);
    CHECK(offset_between(row(pe, 11), row(pe, 10)) == -1);
    CHECK(offset_between(row(pe, 3), row(pe, 10)) == 7);  // the first pair alone says 0.72
    CHECK(offset_between(row(pe, 0), row(pe, 4999)) == 4999);
    CHECK(offset_between(row(pe, 4999), row(pe, 0)) == -4999);
}

TEST_CASE("exercise 2.2: exact for any two positions, whatever their place") {
    tfm::Rng rng(22);
    for (std::size_t C : {16, 64, 512}) {
        const Tensor<2> pe = tfm::positional_table(5000, C);
        for (int trial = 0; trial < 200; ++trial) {
            const std::size_t p = rng.below(5000), q = rng.below(5000);
            INFO("C = " << C << ", positions " << p << " and " << q);
            CHECK(offset_between(row(pe, p), row(pe, q)) == long(q) - long(p));
        }
    }
}

TEST_CASE("exercise 2.2: the two encodings must have one even width") {
    const Tensor<2> pe = tfm::positional_table(10, 16);
    CHECK_THROWS_AS(offset_between(row(pe, 1), Tensor<1>::from_shape({14})), tfm::ShapeError);
    CHECK_THROWS_AS(offset_between(Tensor<1>::from_shape({15}), Tensor<1>::from_shape({15})),
                    tfm::ShapeError);
}
