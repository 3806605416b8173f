// Chapter 02: the sinusoid table against PyTorch, its invariants, adding it with
// dropout, and the errors.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xview.hpp>

#include "02_positional_encoding/positional_encoding.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::load_fixture;

TEST_CASE("the table matches the Annotated Transformer's, computed by PyTorch") {
    // Rows 0, 1, 2, 7, 50, 999 and 4999 of the default 5000-position table, C = 16.
    const Tensor<2> pe_LC = positional_table(5000, 16);
    const auto expected = load_fixture<2>("ch02", "pe_table_5000x16");
    const std::size_t positions[] = {0, 1, 2, 7, 50, 999, 4999};
    for (std::size_t r = 0; r < 7; ++r) {
        const Tensor<1> got = xt::view(pe_LC, positions[r]);
        const Tensor<1> want = xt::view(expected, r);
        INFO("position " << positions[r]);
        // float32 angles up to 4999 rad: sin/cos agree to a few ulps of the angle.
        CHECK_CLOSE(got, want, 2e-6 * (1 + double(positions[r]) / 100), 0);
    }
    CHECK_CLOSE(positional_table(64, 512), load_fixture<2>("ch02", "pe_table_64x512"), 2e-6, 0);
}

TEST_CASE("position 0 is (0, 1, 0, 1, ...) and every pair lies on the unit circle") {
    const Tensor<2> pe_LC = positional_table(200, 32);
    for (std::size_t c = 0; c < 32; ++c) CHECK(pe_LC(0, c) == (c % 2 == 0 ? 0.0f : 1.0f));
    for (std::size_t pos = 0; pos < 200; ++pos) {
        for (std::size_t i = 0; i < 16; ++i) {
            const double s = pe_LC(pos, 2 * i), c = pe_LC(pos, 2 * i + 1);
            CHECK(s * s + c * c == Approx(1.0).epsilon(1e-6));
        }
    }
    // Channel 0 is sin(pos): its wavelength is 2π positions.
    CHECK(pe_LC(3, 0) == Approx(std::sin(3.0)));
}

TEST_CASE("in evaluation mode the encoding adds the first L rows, and backward is the identity") {
    Rng rng(0);
    PositionalEncoding position(6, 0.5f, rng, 20);
    position.train(false);
    Tensor<3> x_BLC = xt::zeros<float>({2, 5, 6});
    fill_uniform(x_BLC, -1, 1, rng);
    const auto y_BLC = position.forward(x_BLC);
    for (std::size_t b = 0; b < 2; ++b) {
        for (std::size_t l = 0; l < 5; ++l) {
            for (std::size_t c = 0; c < 6; ++c) {
                CHECK(y_BLC(b, l, c) == x_BLC(b, l, c) + position.table()(l, c));
            }
        }
    }
    CHECK((position.backward(x_BLC) == x_BLC));
}

TEST_CASE("equal inputs at different positions become different: order is now visible") {
    Rng rng(1);
    PositionalEncoding position(8, 0.0f, rng);
    Tensor<3> same_BLC = xt::ones<float>({1, 4, 8});  // four identical tokens
    const auto y_BLC = position.forward(same_BLC);
    for (std::size_t a = 0; a < 4; ++a) {
        for (std::size_t b = a + 1; b < 4; ++b) {
            const double diff = xt::amax(xt::abs(xt::view(y_BLC, 0, a) - xt::view(y_BLC, 0, b)))();
            CHECK(diff > 0.1);
        }
    }
}

TEST_CASE("dropout in training: about p zeroed, survivors scaled, backward uses the same mask") {
    Rng rng(2);
    Dropout dropout(0.25f, rng);
    Tensor<1> x = xt::ones<float>({40000});
    const auto y = dropout.forward(x);
    std::size_t zeros = 0;
    for (float v : y) {
        if (v == 0.0f) {
            ++zeros;
        } else {
            CHECK(v == Approx(1.0f / 0.75f));
        }
    }
    CHECK(double(zeros) / 40000 == Approx(0.25).margin(0.01));
    Tensor<1> g = xt::zeros<float>({40000});
    g.fill(2.0f);
    const auto dx = dropout.backward(g);
    for (std::size_t i = 0; i < 40000; ++i) CHECK(dx(i) == 2.0f * y(i));
    // Seeded: the same seed draws the same mask.
    Rng rng_a(9), rng_b(9);
    Dropout da(0.5f, rng_a), db(0.5f, rng_b);
    CHECK((da.forward(x) == db.forward(x)));
    // Evaluation mode: the identity.
    dropout.train(false);
    CHECK((dropout.forward(x) == x));
    CHECK_FALSE(dropout.active());
}

TEST_CASE("bad configurations and inputs are clear errors") {
    Rng rng(0);
    CHECK_THROWS_WITH(Dropout(1.0f, rng), Catch::StartsWith("Dropout: p must be in [0, 1), got 1"));
    CHECK_THROWS_AS(Dropout(-0.1f, rng), std::invalid_argument);
    CHECK_THROWS_WITH(positional_table(10, 7),
                      "positional encoding: d_model must be even (sin/cos pairs), got 7");
    PositionalEncoding position(4, 0.0f, rng, 8);
    CHECK_THROWS_WITH(position.forward(xt::zeros<float>({1, 9, 4})),
                      "PositionalEncoding: sequence length 9 exceeds the table's maximum length 8");
    CHECK_THROWS_AS(position.forward(xt::zeros<float>({1, 3, 5})), ShapeError);
    Dropout dropout(0.5f, rng);
    dropout.forward(Tensor<1>(xt::ones<float>({4})));
    CHECK_THROWS_AS(dropout.backward(Tensor<1>(xt::ones<float>({5}))), ShapeError);
}
