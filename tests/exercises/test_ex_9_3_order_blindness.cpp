// Tests for exercise 9.3 — without positions, order is invisible.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "00_tensors/random.hpp"
#include "03_attention/masks.hpp"
#include "09_copy_task/copy_task.hpp"
#include "09_copy_task/exercises/exercises.hpp"
#include "exercises/copy_model.hpp"

using tfm::Tensor;

using tfm::exercises::measure_order;
using tfm::exercises::OrderMeasurement;

namespace {
constexpr std::size_t kVocab = tfm::testing::kCopyVocab;
constexpr std::size_t kLength = 6;  // the start symbol and 5 tokens

using tfm::testing::small_copy_model;

// The chapter's model always adds the sinusoids, and has no switch for them: zeroing both
// tables (the model's own storage, which it shows read-only) takes them away.
void remove_positional_encoding(tfm::EncoderDecoder& model) {
    for (tfm::EmbeddingStack* stack : {&model.src_embed, &model.tgt_embed}) {
        const_cast<Tensor<2>&>(stack->position.table()).fill(0.0f);
    }
}

// Zeroes the source side's sinusoids from position `first` on: the encoder still tells
// positions 0 … first − 1 apart, and sees the tokens after them as a set.
void blind_source_positions(tfm::EncoderDecoder& model, std::size_t first) {
    Tensor<2>& table = const_cast<Tensor<2>&>(model.src_embed.position.table());
    for (std::size_t l = first; l < kLength; ++l)
        for (std::size_t c = 0; c < table.shape()[1]; ++c) table(l, c) = 0.0f;
}

// 600 steps of the copy task.
void train_briefly(tfm::EncoderDecoder& model) {
    tfm::testing::train_copy_model(model, 25, kLength);
}

// The fraction of sources greedy decoding turns into the same output as their permuted
// versions, the permuted row b holding src(b, permutation[l]) at position l.
double decoded_alike(tfm::EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src,
                     const std::vector<std::size_t>& permutation) {
    const std::size_t B = src.shape()[0], L = src.shape()[1];
    xt::xtensor<std::int64_t, 2> permuted = xt::xtensor<std::int64_t, 2>::from_shape({B, L});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t l = 0; l < L; ++l) permuted(b, l) = src(b, permutation[l]);
    const xt::xtensor<std::int64_t, 2> a =
        tfm::greedy_decode(model, src, tfm::padding_mask(src, tfm::kCopyPad), L, tfm::kCopyStart);
    const xt::xtensor<std::int64_t, 2> p = tfm::greedy_decode(
        model, permuted, tfm::padding_mask(permuted, tfm::kCopyPad), L, tfm::kCopyStart);
    std::size_t alike = 0;
    for (std::size_t b = 0; b < B; ++b) {
        bool same = true;
        for (std::size_t l = 0; l < L; ++l) same = same && a(b, l) == p(b, l);
        alike += same;
    }
    return double(alike) / double(B);
}
}  // namespace

TEST_CASE(
    "exercise 9.3: a permutation must use every position once and keep the start symbol first") {
    tfm::EncoderDecoder model(small_copy_model(), 1);
    tfm::Rng rng(2);
    const xt::xtensor<std::int64_t, 2> src =
        tfm::copy_task_batches(rng, kVocab, 4, 1, kLength)[0].src_BM;
    CHECK_THROWS_AS(measure_order(model, src, {1, 0, 2, 3, 4, 5}),
                    std::invalid_argument);  // moves the start
    CHECK_THROWS_AS(measure_order(model, src, {0, 1, 1, 3, 4, 5}),
                    std::invalid_argument);  // 1 twice, no 2
    CHECK_THROWS_AS(measure_order(model, src, {0, 1, 2, 3, 4, 6}),
                    std::invalid_argument);                                        // no position 6
    CHECK_THROWS_AS(measure_order(model, src, {0, 2, 1}), std::invalid_argument);  // too short
}

TEST_CASE(
    "exercise 9.3: without positional encoding a source and its reversal decode alike, so copying "
    "fails") {
    tfm::EncoderDecoder positions(small_copy_model(), 7);
    tfm::EncoderDecoder no_positions(small_copy_model(), 7);
    remove_positional_encoding(no_positions);
    train_briefly(positions);
    train_briefly(no_positions);
    tfm::Rng rng(99);
    const xt::xtensor<std::int64_t, 2> src =
        tfm::copy_task_batches(rng, kVocab, 64, 1, kLength)[0].src_BM;
    const std::vector<std::size_t> reversal = {0, 5, 4, 3, 2, 1};  // the start symbol stays first
    const OrderMeasurement with = measure_order(positions, src, reversal);
    const OrderMeasurement without = measure_order(no_positions, src, reversal);
    INFO("with the positional encoding: copies "
         << with.copy_accuracy << ", decodes a source as its reversal " << with.same_when_permuted);
    INFO("without it: copies " << without.copy_accuracy << ", decodes a source as its reversal "
                               << without.same_when_permuted);
    // With the sinusoids the model learns to copy, so a reversed source gives another output.
    CHECK(with.copy_accuracy >= 0.5);
    CHECK(with.same_when_permuted <= 0.5);
    // Without them the memory is a set to the decoder: a source and its reversal give the
    // same output (but for float rounding), so at most one of the two can be copied.
    CHECK(without.same_when_permuted >= 0.95);
    CHECK(without.copy_accuracy <= 0.2);
    // The same with a rotation, which, unlike the reversal, is not its own inverse.
    const std::vector<std::size_t> rotation = {0, 2, 3, 4, 5, 1};
    const OrderMeasurement with_rotated = measure_order(positions, src, rotation);
    const OrderMeasurement without_rotated = measure_order(no_positions, src, rotation);
    INFO("rotated: with the positional encoding " << with_rotated.same_when_permuted
                                                  << " decoded alike, without it "
                                                  << without_rotated.same_when_permuted);
    CHECK(with_rotated.copy_accuracy == Approx(with.copy_accuracy).margin(0.05));
    CHECK(with_rotated.same_when_permuted <= 0.5);
    CHECK(without_rotated.same_when_permuted >= 0.95);
}

TEST_CASE("exercise 9.3: the permuted row b holds src(b, permutation[l]) at position l") {
    // A model that sees where positions 0 and 1 of the source are, and the tokens at 2 … 5
    // only as a set: copying, it learns to put the source's token 1 first.
    tfm::EncoderDecoder model(small_copy_model(), 7);
    blind_source_positions(model, 2);
    train_briefly(model);
    // Sources whose tokens 1 and 2 agree and whose tokens 1 and 5 do not (tokens are
    // 1 … 10). The rotation {0, 2, 3, 4, 5, 1} brings token 2 to position 1 and moves
    // token 1 into the set: to this model such a source and its rotation are the same
    // input but for the order of the set, and decode alike (but for float rounding). The
    // inverse rotation, {0, 5, 1, 2, 3, 4}, brings token 5 to position 1, which the model
    // sees: read the permutation the other way round and the two decode differently.
    tfm::Rng rng(93);
    xt::xtensor<std::int64_t, 2> src =
        tfm::copy_task_batches(rng, kVocab, 64, 1, kLength)[0].src_BM;
    for (std::size_t b = 0; b < 64; ++b) {
        src(b, 2) = src(b, 1);
        if (src(b, 5) == src(b, 1)) src(b, 5) = src(b, 1) % 10 + 1;
    }
    const std::vector<std::size_t> rotation = {0, 2, 3, 4, 5, 1}, inverse = {0, 5, 1, 2, 3, 4};
    const OrderMeasurement m = measure_order(model, src, rotation);
    const double header_way = decoded_alike(model, src, rotation);
    const double other_way = decoded_alike(model, src, inverse);
    INFO("decoded alike: " << m.same_when_permuted << " measured; here, permuting as the header"
                           << " says " << header_way << ", the other way round " << other_way);
    CHECK(header_way >= 0.95);
    CHECK(other_way <= 0.5);
    CHECK(m.same_when_permuted == Approx(header_way).margin(0.05));
}
