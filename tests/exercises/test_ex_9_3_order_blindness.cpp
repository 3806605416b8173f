// Tests for exercise 9.3 — without positions, order is invisible.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

#include "00_tensors/random.hpp"
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

// 600 steps of the copy task.
void train_briefly(tfm::EncoderDecoder& model) {
    tfm::testing::train_copy_model(model, 25, kLength);
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
}
