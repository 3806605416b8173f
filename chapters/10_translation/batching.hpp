// batching.hpp — batches by token budget, of sentences of similar length (chapter 10).
//
// A batch is a rectangle: every sentence is padded to the longest one in it, and the
// padding costs as much arithmetic as real tokens. The Annotated Transformer pads every
// batch of 32 sentences to 72 tokens, so four fifths of its work on Multi30k is padding.
// The paper instead "batched together by approximate sequence length", about 25,000
// source and 25,000 target tokens per batch. We do the same, scaled to two cores:
//
//   1. shuffle the sentence pairs with the epoch's seeded generator;
//   2. cut them into pools of many batches' worth, and sort each pool by length;
//   3. cut each sorted pool into batches whose padded size — sentences × longest
//      sentence — stays within the token budget, on the source and the target side;
//   4. shuffle the order of the batches.
//
// Sorting within pools (not the whole corpus) keeps some randomness in which sentences
// meet in a batch; shuffling the batches keeps long and short batches from coming in
// runs. Every pair is in exactly one batch per epoch, and the same seed and epoch give
// the same batches — which is what lets a resumed run see what the uninterrupted one saw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "08_training/batch.hpp"

namespace tfm {

/// One sentence pair as ids, each starting with `<s>` and ending with `</s>`.
struct Example {
    std::vector<std::int64_t> src;
    std::vector<std::int64_t> tgt;
};

/// The plan of an epoch: the indices of the examples in each batch.
using BatchPlan = std::vector<std::vector<std::size_t>>;

/// Token-budget batches of similar-length examples, as described above. An example
/// longer than the budget on its own gets a batch of its own. `pool_batches` is how many
/// batches' worth of examples are sorted together.
BatchPlan plan_batches(const std::vector<Example>& examples, std::size_t budget, Rng& rng,
                       std::size_t pool_batches = 64);

/// The padded Batch (chapter 08) of the examples `indices`.
Batch make_padded_batch(const std::vector<Example>& examples,
                        const std::vector<std::size_t>& indices);

/// Every batch of `plan`, padded: one make_padded_batch per batch, in the plan's order.
std::vector<Batch> padded_batches(const std::vector<Example>& examples, const BatchPlan& plan);

/// Source sentences to translate, as a padded batch: `sentences` says which of the inputs
/// are in it (rows of src_BM, in order), `lengths` their lengths without the marks.
struct SourceBatch {
    std::vector<std::size_t> sentences;
    std::vector<std::size_t> lengths;
    xt::xtensor<std::int64_t, 2> src_BM;  ///< `<s>` ids `</s>`, then `<blank>` padding
};

/// The sentences `indices` of `sources` (ids without `<s>` and `</s>`), each wrapped in
/// `<s>` … `</s>` and padded to the longest: one [B, M] batch.
SourceBatch pad_sources(const std::vector<std::vector<std::int64_t>>& sources,
                        const std::vector<std::size_t>& indices);

/// Every sentence of `sources` in batches for translation: sorted by length (so that
/// sentences of similar length share a batch and little is padding), then cut so that
/// each batch holds at most `budget` padded tokens (B · M) and, if `max_sentences` > 0,
/// at most that many sentences. A sentence longer than the budget gets a batch of its
/// own. Translating batch by batch and putting each result back at `sentences[b]`
/// restores the input order. An empty source (a blank line) is in no batch: there is
/// nothing to translate, and its translation stays empty rather than whatever a model
/// makes of `<s> </s>` alone.
std::vector<SourceBatch> length_sorted_batches(
    const std::vector<std::vector<std::int64_t>>& sources, std::size_t budget,
    std::size_t max_sentences = 0);

/// Real (non-padding) tokens over all tokens, source and target sides together.
struct PaddingStats {
    std::size_t real = 0;
    std::size_t padded = 0;  ///< real + padding
    double real_share() const { return padded ? double(real) / double(padded) : 0.0; }
};

/// The share of real tokens if the examples are batched as `plan` says.
PaddingStats padding_stats(const std::vector<Example>& examples, const BatchPlan& plan);

/// The same for fixed batches of `batch_size` examples in order, each padded to
/// `pad_to` tokens (0: to its longest sentence) — the Annotated Transformer's batches
/// are 32 sentences padded to 72.
PaddingStats fixed_batch_stats(const std::vector<Example>& examples, std::size_t batch_size,
                               std::size_t pad_to);

}  // namespace tfm
