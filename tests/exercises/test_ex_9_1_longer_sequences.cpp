// Tests for exercise 9.1 — can a copy model copy sequences longer than any it saw?
#include <catch2/catch.hpp>

#include <vector>

#include "00_tensors/random.hpp"
#include "03_attention/masks.hpp"
#include "09_copy_task/exercises/exercises.hpp"
#include "exercises/copy_model.hpp"

using tfm::exercises::accuracy_by_length;
using tfm::exercises::LengthAccuracy;

TEST_CASE("exercise 9.1: a model trained on 8 tokens copies 8, and fails beyond its 8th") {
    tfm::EncoderDecoder model(tfm::testing::small_copy_model(), 7);
    tfm::testing::train_copy_model(model, 25, 8);
    tfm::Rng rng(91), replay(91);
    const std::vector<LengthAccuracy> a = accuracy_by_length(model, {8, 12, 16}, 64, rng);
    REQUIRE(a.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        REQUIRE(a[i].length == std::size_t(8 + 4 * i));
        REQUIRE(a[i].by_position.size() == a[i].length);
        CHECK(a[i].by_position[0] == 1.0);  // the start symbol
    }
    // The numbers are the model's: decode the same sources again here.
    for (const LengthAccuracy& measured : a) {
        const auto src =
            tfm::copy_task_batches(replay, tfm::testing::kCopyVocab, 64, 1, measured.length)[0]
                .src_BM;
        const auto out = tfm::greedy_decode(model, src, tfm::padding_mask(src, tfm::kCopyPad),
                                            measured.length, tfm::kCopyStart);
        double exact = 0.0;
        std::vector<double> right(measured.length, 0.0);
        for (std::size_t b = 0; b < 64; ++b) {
            bool same = true;
            for (std::size_t l = 0; l < measured.length; ++l) {
                same = same && out(b, l) == src(b, l);
                right[l] += (out(b, l) == src(b, l)) / 64.0;
            }
            exact += same / 64.0;
        }
        INFO("length " << measured.length);
        CHECK(measured.sequences == Approx(exact));
        for (std::size_t l = 0; l < measured.length; ++l) {
            INFO("position " << l);
            CHECK(measured.by_position[l] == Approx(right[l]));
        }
    }
    // Within the trained length it copies; beyond it, it does not.
    const LengthAccuracy& longest = a[2];
    double inside = 0.0, beyond = 0.0;
    for (std::size_t l = 1; l < 8; ++l) inside += longest.by_position[l] / 7.0;
    for (std::size_t l = 8; l < 16; ++l) beyond += longest.by_position[l] / 8.0;
    INFO("exact copies: " << a[0].sequences << " at 8 tokens, " << a[1].sequences << " at 12, "
                          << a[2].sequences << " at 16; at 16 tokens, positions 1-7 right "
                          << inside << " of the time, positions 8-15 " << beyond);
    CHECK(a[0].sequences > 0.85);
    CHECK(a[1].sequences < 0.2);
    CHECK(inside > 0.8);
    CHECK(beyond < 0.5);
}
