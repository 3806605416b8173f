// Tests for exercise 13.3 — how wrong is averaging the ranks' mean losses? Measure it (run
// under mpiexec on 2 ranks).
#include "mpi_tests.hpp"

#include <cmath>
#include <vector>

#include "08_training/loss.hpp"
#include "10_translation/batching.hpp"
#include "13_data_parallel/exercises/exercises.hpp"
#include "13_data_parallel/parallel_training.hpp"

using tfm::exercises::mean_of_means_error;
using tfm::testing::on_every_rank;
using tfm::testing::world;

namespace {
// Sentence pairs of `n` random ids between <s> and </s>, target lengths `lengths`.
std::vector<tfm::Example> examples(const std::vector<std::size_t>& lengths, std::uint64_t seed) {
    tfm::Rng rng(seed);
    std::vector<tfm::Example> out;
    for (std::size_t length : lengths) {
        tfm::Example e;
        e.src = {tfm::kBos, 4 + std::int64_t(rng.below(13)), 4 + std::int64_t(rng.below(13)),
                 tfm::kEos};
        e.tgt.push_back(tfm::kBos);
        for (std::size_t k = 0; k < length; ++k) e.tgt.push_back(4 + std::int64_t(rng.below(13)));
        e.tgt.push_back(tfm::kEos);
        out.push_back(e);
    }
    return out;
}

struct Model {
    tfm::EncoderDecoder model{tfm::small_config(17), 31};  // no dropout: one function
    tfm::LabelSmoothing criterion{17, tfm::kPad, 0.1f};
    tfm::Adam adam{model.parameters()};
    tfm::Trainer trainer{model, criterion, adam, [](std::size_t) { return 1e-3; }};
    tfm::BatchLoss loss() {
        return [this](const tfm::Batch& b, float scale) { return trainer.batch_loss(b, scale); };
    }
};

// The same error in one process: the whole batch's gradient, and the ranks' mean-loss
// gradients averaged, each shard run here in turn.
double one_process(Model& m, const std::vector<tfm::Example>& data,
                   const std::vector<std::vector<std::size_t>>& shards) {
    const tfm::ParameterList params = m.model.parameters();
    std::vector<std::size_t> all;
    for (const auto& s : shards) all.insert(all.end(), s.begin(), s.end());
    const tfm::Batch whole = tfm::make_padded_batch(data, all);
    tfm::zero_grads(params);
    m.loss()(whole, float(1.0 / double(whole.ntokens)));
    std::vector<xt::xarray<float>> right;
    for (const tfm::Parameter* p : params) right.push_back(p->grad);
    tfm::zero_grads(params);
    for (const auto& s : shards) {
        const tfm::Batch b = tfm::make_padded_batch(data, s);
        m.loss()(b, float(1.0 / (double(shards.size()) * double(b.ntokens))));
    }
    double diff = 0.0, norm = 0.0;
    for (std::size_t i = 0; i < params.size(); ++i)
        for (std::size_t j = 0; j < right[i].size(); ++j) {
            const double d = double(params[i]->grad.data()[j]) - double(right[i].data()[j]);
            diff += d * d;
            norm += double(right[i].data()[j]) * double(right[i].data()[j]);
        }
    tfm::zero_grads(params);
    return std::sqrt(diff / norm);
}

// Runs the exercise on the shards (one per rank) and compares with one_process.
double measured(const std::vector<std::size_t>& lengths,
                const std::vector<std::vector<std::size_t>>& shards) {
    REQUIRE(shards.size() == std::size_t(world().size()));
    const std::vector<tfm::Example> data = examples(lengths, 7);
    Model m;
    m.model.train(true);
    const tfm::Batch mine = tfm::make_padded_batch(data, shards[std::size_t(world().rank())]);
    const double error = on_every_rank(
        [&] { return mean_of_means_error(mine, m.loss(), m.model.parameters(), world()); });
    const double expected = one_process(m, data, shards);
    INFO("measured " << error << ", one process " << expected);
    CHECK(error == Approx(expected).margin(1e-4).epsilon(1e-3));
    for (const tfm::Parameter* p : m.model.parameters()) CHECK(xt::all(xt::equal(p->grad, 0.0f)));
    return error;
}
}  // namespace

TEST_CASE("exercise 13.3: shards of equal token counts: the two ways agree") {
    // Five target tokens per sentence (with </s>), three sentences a rank.
    const double e = measured({4, 4, 4, 4, 4, 4}, {{0, 1, 2}, {3, 4, 5}});
    CHECK(e < 1e-5);
}

TEST_CASE("exercise 13.3: a batch of similar lengths, cut as chapter 13 cuts it") {
    // Sorted by length, as a budget batch is; shard_of gives each rank a contiguous half.
    const std::vector<std::size_t> lengths = {5, 5, 6, 6, 6, 7, 7, 8};
    std::vector<std::size_t> batch = {0, 1, 2, 3, 4, 5, 6, 7};
    const double e = measured(lengths, {tfm::shard_of(batch, 0, 2), tfm::shard_of(batch, 1, 2)});
    CHECK(e > 1e-4);
    CHECK(e < 0.2);
}

TEST_CASE("exercise 13.3: one sentence against five") {
    const double e = measured({6, 6, 6, 6, 6, 6}, {{0, 1, 2, 3, 4}, {5}});
    CHECK(e > 0.2);
}
