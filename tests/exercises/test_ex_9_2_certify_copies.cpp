// Tests for exercise 9.2 — which sources must greedy decoding copy?
#include <catch2/catch.hpp>

#include "00_tensors/random.hpp"
#include "03_attention/masks.hpp"
#include "09_copy_task/exercises/exercises.hpp"
#include "exercises/copy_model.hpp"

using tfm::exercises::certify_copies;
using tfm::exercises::CopyCertificate;

TEST_CASE("exercise 9.2: argmax everywhere exactly when greedy copies; above 1/2 only if it does") {
    // Three epochs: a model that copies some sources and not others.
    tfm::EncoderDecoder model(tfm::testing::small_copy_model(), 7);
    tfm::testing::train_copy_model(model, 3, 8);
    tfm::Rng rng(92);
    const auto src = tfm::copy_task_batches(rng, tfm::testing::kCopyVocab, 200, 1, 8)[0].src_BM;
    const CopyCertificate c = certify_copies(model, src);
    REQUIRE(c.argmax_everywhere.size() == 200);
    REQUIRE(c.all_above_half.size() == 200);
    const auto out =
        tfm::greedy_decode(model, src, tfm::padding_mask(src, tfm::kCopyPad), 8, tfm::kCopyStart);
    std::size_t copied = 0, above_half = 0;
    for (std::size_t b = 0; b < 200; ++b) {
        bool same = true;
        for (std::size_t l = 0; l < 8; ++l) same = same && out(b, l) == src(b, l);
        copied += same;
        above_half += c.all_above_half[b];
        INFO("source " << b << ": decoded exactly " << same << ", argmax everywhere "
                       << c.argmax_everywhere[b] << ", every label above 1/2 "
                       << c.all_above_half[b]);
        CHECK(c.argmax_everywhere[b] == same);
        if (c.all_above_half[b]) CHECK(same);
    }
    INFO(copied << " of 200 copied, " << above_half << " with every label above 1/2");
    // A model half-way through training, so that both answers occur.
    CHECK(copied > 10);
    CHECK(copied < 190);
    CHECK(above_half <= copied);
}
