// Chapter 03: padding, causal and decoder masks.
#include <catch2/catch.hpp>

#include "03_attention/masks.hpp"

using namespace tfm;

TEST_CASE("the padding mask hides pad tokens from every query") {
    const xt::xtensor<std::int64_t, 2> ids = {{5, 6, 0, 0}, {1, 2, 3, 4}};
    const auto mask = padding_mask(ids, 0);
    REQUIRE(mask.shape() == std::array<std::size_t, 3>{2, 1, 4});
    const xt::xtensor<bool, 3> expected = {{{true, true, false, false}},
                                           {{true, true, true, true}}};
    CHECK((mask == expected));
}

TEST_CASE("the subsequent mask lets position l see 0..l") {
    const auto mask = subsequent_mask(3);
    const xt::xtensor<bool, 3> expected = {
        {{true, false, false}, {true, true, false}, {true, true, true}}};
    CHECK((mask == expected));
}

TEST_CASE("the decoder mask is padding and causal together") {
    const xt::xtensor<std::int64_t, 2> ids = {{1, 7, 2, 0}};  // last token is padding
    const auto mask = decoder_mask(ids, 0);
    const xt::xtensor<bool, 3> expected = {{{true, false, false, false},
                                            {true, true, false, false},
                                            {true, true, true, false},
                                            {true, true, true, false}}};
    CHECK((mask == expected));
}
