// batching.cpp — pools, sorting, packing and shuffling.
#include "batching.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>

#include "vocabulary.hpp"

namespace tfm {

namespace {

// Fisher–Yates with our own generator (std::shuffle's use of the engine is unspecified,
// so the same seed could shuffle differently with another standard library).
template <class T>
void shuffle(std::vector<T>& v, Rng& rng) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(std::uint32_t(i))]);
}

}  // namespace

//! [plan batches]
BatchPlan plan_batches(const std::vector<Example>& examples, std::size_t budget, Rng& rng,
                       std::size_t pool_batches) {
    if (budget == 0) throw std::invalid_argument("plan_batches: the token budget must be positive");
    if (pool_batches == 0)
        throw std::invalid_argument("plan_batches: pool_batches must be positive");
    // 1. Shuffle.
    std::vector<std::size_t> order(examples.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    shuffle(order, rng);
    // 2. Pools of about pool_batches batches: the budget over the mean length, times that.
    std::size_t total = 0;
    for (const Example& e : examples) total += std::max(e.src.size(), e.tgt.size());
    const std::size_t mean =
        examples.empty() ? 1 : std::max<std::size_t>(1, total / examples.size());
    const std::size_t pool =
        std::max<std::size_t>(1, pool_batches * std::max<std::size_t>(1, budget / mean));
    BatchPlan plan;
    for (std::size_t start = 0; start < order.size(); start += pool) {
        const auto first = order.begin() + std::ptrdiff_t(start);
        const auto last = order.begin() + std::ptrdiff_t(std::min(order.size(), start + pool));
        std::stable_sort(first, last, [&](std::size_t a, std::size_t b) {
            const Example &x = examples[a], &y = examples[b];
            return x.src.size() != y.src.size() ? x.src.size() < y.src.size()
                                                : x.tgt.size() < y.tgt.size();
        });
        // 3. Pack the sorted pool: add examples while the padded rectangle fits the budget.
        std::vector<std::size_t> batch;
        std::size_t max_src = 0, max_tgt = 0;
        for (auto it = first; it != last; ++it) {
            const Example& e = examples[*it];
            const std::size_t src = std::max(max_src, e.src.size()),
                              tgt = std::max(max_tgt, e.tgt.size());
            const std::size_t n = batch.size() + 1;
            if (!batch.empty() && (n * src > budget || n * tgt > budget)) {
                plan.push_back(std::move(batch));
                batch.clear();
                max_src = max_tgt = 0;
            }
            batch.push_back(*it);
            max_src = std::max(max_src, e.src.size());
            max_tgt = std::max(max_tgt, e.tgt.size());
        }
        if (!batch.empty()) plan.push_back(std::move(batch));
    }
    // 4. Shuffle the batches.
    shuffle(plan, rng);
    return plan;
}
//! [plan batches]

Batch make_padded_batch(const std::vector<Example>& examples,
                        const std::vector<std::size_t>& indices) {
    if (indices.empty()) throw std::invalid_argument("make_padded_batch: an empty batch");
    std::size_t M = 0, T = 0;
    for (std::size_t i : indices) {
        M = std::max(M, examples.at(i).src.size());
        T = std::max(T, examples.at(i).tgt.size());
    }
    const std::size_t B = indices.size();
    xt::xtensor<std::int64_t, 2> src_BM = xt::xtensor<std::int64_t, 2>::from_shape({B, M});
    xt::xtensor<std::int64_t, 2> tgt_BT = xt::xtensor<std::int64_t, 2>::from_shape({B, T});
    src_BM.fill(kPad);
    tgt_BT.fill(kPad);
    for (std::size_t b = 0; b < B; ++b) {
        const Example& e = examples[indices[b]];
        std::copy(e.src.begin(), e.src.end(), &src_BM(b, 0));
        std::copy(e.tgt.begin(), e.tgt.end(), &tgt_BT(b, 0));
    }
    return make_batch(src_BM, tgt_BT, kPad);
}

std::vector<Batch> padded_batches(const std::vector<Example>& examples, const BatchPlan& plan) {
    std::vector<Batch> batches;
    batches.reserve(plan.size());
    for (const std::vector<std::size_t>& indices : plan)
        batches.push_back(make_padded_batch(examples, indices));
    return batches;
}

SourceBatch pad_sources(const std::vector<std::vector<std::int64_t>>& sources,
                        const std::vector<std::size_t>& indices) {
    if (indices.empty()) throw std::invalid_argument("pad_sources: an empty batch");
    SourceBatch batch;
    batch.sentences = indices;
    std::size_t M = 0;
    for (std::size_t i : indices) M = std::max(M, sources.at(i).size() + 2);
    batch.src_BM = xt::xtensor<std::int64_t, 2>::from_shape({indices.size(), M});
    batch.src_BM.fill(kPad);
    for (std::size_t b = 0; b < indices.size(); ++b) {
        const std::vector<std::int64_t>& ids = sources[indices[b]];
        batch.src_BM(b, 0) = kBos;
        std::copy(ids.begin(), ids.end(), &batch.src_BM(b, 1));
        batch.src_BM(b, ids.size() + 1) = kEos;
        batch.lengths.push_back(ids.size());
    }
    return batch;
}

//! [length sorted batches]
std::vector<SourceBatch> length_sorted_batches(
    const std::vector<std::vector<std::int64_t>>& sources, std::size_t budget,
    std::size_t max_sentences) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        if (!sources[i].empty()) order.push_back(i);  // a blank line: nothing to translate
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return sources[a].size() < sources[b].size();
    });
    std::vector<SourceBatch> batches;
    for (std::size_t first = 0; first < order.size();) {
        // Sorted, so the last sentence taken is the longest: B · (its length + 2) ≤ budget.
        std::size_t last = first + 1;
        while (last < order.size() &&
               (last - first + 1) * (sources[order[last]].size() + 2) <= budget &&
               (max_sentences == 0 || last - first < max_sentences)) {
            ++last;
        }
        batches.push_back(
            pad_sources(sources, std::vector<std::size_t>(order.begin() + std::ptrdiff_t(first),
                                                          order.begin() + std::ptrdiff_t(last))));
        first = last;
    }
    return batches;
}
//! [length sorted batches]

PaddingStats padding_stats(const std::vector<Example>& examples, const BatchPlan& plan) {
    PaddingStats s;
    for (const auto& batch : plan) {
        std::size_t M = 0, T = 0;
        for (std::size_t i : batch) {
            M = std::max(M, examples[i].src.size());
            T = std::max(T, examples[i].tgt.size());
            s.real += examples[i].src.size() + examples[i].tgt.size();
        }
        s.padded += batch.size() * (M + T);
    }
    return s;
}

PaddingStats fixed_batch_stats(const std::vector<Example>& examples, std::size_t batch_size,
                               std::size_t pad_to) {
    if (batch_size == 0)
        throw std::invalid_argument("fixed_batch_stats: batch_size must be positive");
    BatchPlan plan;
    for (std::size_t start = 0; start < examples.size(); start += batch_size) {
        std::vector<std::size_t> batch;
        for (std::size_t i = start; i < std::min(examples.size(), start + batch_size); ++i)
            batch.push_back(i);
        plan.push_back(batch);
    }
    if (pad_to == 0) return padding_stats(examples, plan);
    PaddingStats s;
    for (const Example& e : examples) s.real += e.src.size() + e.tgt.size();
    for (const auto& batch : plan) s.padded += batch.size() * 2 * pad_to;
    return s;
}

}  // namespace tfm
