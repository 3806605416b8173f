// Tests for exercise 4.2 — what is a head? Silence one and watch.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/random.hpp"
#include "04_multi_head_attention/exercises/exercises.hpp"

using tfm::Tensor;

using tfm::exercises::silence_head_queries;
using tfm::exercises::SilencedHead;

TEST_CASE("exercise 4.2: the silenced head averages, the others do not notice") {
    const std::size_t B = 2, L = 6, C = 16, H = 4;
    tfm::Rng rng(42);
    tfm::MultiHeadedAttention mha(H, C, 0.0f, rng);
    for (auto& linear : mha.linears) tfm::xavier_uniform(linear.weight.value, rng);
    Tensor<3> x = Tensor<3>::from_shape({B, L, C});
    tfm::fill_normal(x, 0.0f, 1.0f, rng);
    // Sentence 0 has 6 real tokens, sentence 1 has 4 and 2 of padding.
    const xt::xtensor<bool, 3> mask = {{{true, true, true, true, true, true}},
                                       {{true, true, true, true, false, false}}};
    const xt::xarray<float> w_q = mha.linears[0].weight.value, b_q = mha.linears[0].bias.value;

    const SilencedHead s = silence_head_queries(mha, x, mask, 2);
    // The module is as it was: its parameters, and so its weights, are the originals.
    CHECK(bool(mha.linears[0].weight.value == w_q));
    CHECK(bool(mha.linears[0].bias.value == b_q));
    mha.forward(x, x, x, mask);
    const Tensor<4>& original = mha.attention_weights();
    REQUIRE(s.weights_BHLM.shape() == original.shape());
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t h = 0; h < H; ++h)
            for (std::size_t l = 0; l < L; ++l)
                for (std::size_t m = 0; m < L; ++m) {
                    INFO("sentence " << b << ", head " << h << ", query " << l << ", key " << m);
                    if (h == 2) {  // uniform over the keys the mask allows
                        const double allowed = b == 0 ? 6.0 : 4.0;
                        CHECK(s.weights_BHLM(b, h, l, m) ==
                              Approx(mask(b, 0, m) ? 1.0 / allowed : 0.0).margin(1e-6));
                    } else {
                        CHECK(s.weights_BHLM(b, h, l, m) ==
                              Approx(original(b, h, l, m)).margin(1e-6));
                    }
                }
    // The test's own measurement: the module as it is, then with head 2's query rows
    // zeroed by hand, and the relative distance between the two outputs.
    const Tensor<3> out = mha.forward(x, x, x, mask);
    for (std::size_t r = 2 * (C / H); r < 3 * (C / H); ++r) {
        for (std::size_t c = 0; c < C; ++c) mha.linears[0].weight.value(r, c) = 0.0f;
        mha.linears[0].bias.value(r) = 0.0f;
    }
    const Tensor<3> silenced = mha.forward(x, x, x, mask);
    mha.linears[0].weight.value = w_q;
    mha.linears[0].bias.value = b_q;
    const Tensor<3> diff = silenced - out;
    const double expected = std::sqrt(tfm::dot_double(diff, diff) / tfm::dot_double(out, out));
    INFO("the output moved by " << s.output_change << " of its size; the test measures "
                                << expected);
    CHECK(s.output_change == Approx(expected).epsilon(1e-4));
    CHECK(s.output_change > 0.01);
    CHECK_THROWS_AS(silence_head_queries(mha, x, mask, 4), std::out_of_range);
}
