// Chapter 13 (run under `mpiexec -n 2`): a data-parallel step equals one process's step on
// the whole batch, replicas stay bitwise identical, uneven and empty shards give the right
// gradient. (That a failing rank ends every rank is tested by running the program; see
// tests/CMakeLists.txt.) Its main() is mpi_tests_main.cpp's.
#include <mpi.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "03_attention/masks.hpp"
#include "08_training/loss.hpp"
#include "08_training/train.hpp"
#include "10_translation/batching.hpp"
#include "10_translation/vocabulary.hpp"
#include "13_data_parallel/parallel_training.hpp"
#include "mpi_tests.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::world;

namespace {
// No dropout (small_config): the same arithmetic on both sides.
ModelConfig config17() {
    return small_config(17);
}

// Sentence pairs of different lengths: <s> … </s> with ids from 4 up.
std::vector<Example> examples(std::size_t n, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<Example> out;
    for (std::size_t i = 0; i < n; ++i) {
        Example e;
        e.src.push_back(kBos);
        e.tgt.push_back(kBos);
        for (std::size_t k = 0, len = 2 + rng.below(6); k < len; ++k)
            e.src.push_back(4 + std::int64_t(rng.below(13)));
        for (std::size_t k = 0, len = 2 + rng.below(6); k < len; ++k)
            e.tgt.push_back(4 + std::int64_t(rng.below(13)));
        e.src.push_back(kEos);
        e.tgt.push_back(kEos);
        out.push_back(e);
    }
    return out;
}

struct Replica {
    EncoderDecoder model;
    LabelSmoothing criterion{17, kPad, 0.1f};
    Adam adam;
    Trainer trainer;
    explicit Replica(std::uint64_t seed)
        : model(config17(), seed),
          adam(model.parameters()),
          trainer(model, criterion, adam, [](std::size_t) { return 1e-3; }) {}
};

// The data-parallel gradient of this rank's part `mine` of a batch, summed over the ranks.
double parallel_gradients(Replica& r, const std::vector<Example>& data,
                          const std::vector<std::size_t>& mine) {
    GradientBuckets buckets(r.model.parameters(), 300);  // small buckets: several per step
    const BatchLoss loss = [&r](const Batch& b, float scale) {
        return r.trainer.batch_loss(b, scale);
    };
    r.model.train(true);
    if (mine.empty()) return data_parallel_gradients(nullptr, loss, buckets, world());
    const Batch shard = make_padded_batch(data, mine);
    return data_parallel_gradients(&shard, loss, buckets, world());
}

// The same gradient from the whole batch in one process (no communication).
double whole_gradients(Replica& r, const std::vector<Example>& data,
                       const std::vector<std::size_t>& batch) {
    const Batch b = make_padded_batch(data, batch);
    r.model.train(true);
    return r.trainer.batch_loss(b, float(1.0 / double(b.ntokens))) / double(b.ntokens);
}

// Compares the two replicas' gradients. (Not their weights after an Adam step: Adam's
// first step moves every weight by ±lr whatever the gradient's size, so a gradient that
// is zero in exact arithmetic — a key's bias, say — moves its weight by the sign of
// rounding noise.)
void check_same_gradients(Replica& a, Replica& b) {
    const ParameterList pa = a.model.parameters(), pb = b.model.parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        INFO(pa[i]->name);
        CHECK_CLOSE(pa[i]->grad, pb[i]->grad, 1e-6, 1e-4);
    }
}

// One data-parallel step on this rank's part `mine` of `batch` (a contiguous share, or
// the given indices).
double parallel_step(Replica& r, const std::vector<Example>& data,
                     const std::vector<std::size_t>& mine) {
    GradientBuckets buckets(r.model.parameters(), 300);  // small buckets: several per step
    const BatchLoss loss = [&r](const Batch& b, float scale) {
        return r.trainer.batch_loss(b, scale);
    };
    if (mine.empty()) return data_parallel_step(nullptr, loss, r.adam, 1e-3, 1.0, buckets, world());
    const Batch shard = make_padded_batch(data, mine);
    return data_parallel_step(&shard, loss, r.adam, 1e-3, 1.0, buckets, world());
}

// The largest difference of any parameter between this rank and rank 0.
double max_difference_to_rank0(Replica& r) {
    double worst = 0.0;
    for (Parameter* p : r.model.parameters()) {
        std::vector<float> theirs(p->value.begin(), p->value.end());
        MPI_Bcast(theirs.data(), int(theirs.size()), MPI_FLOAT, 0, MPI_COMM_WORLD);
        for (std::size_t i = 0; i < theirs.size(); ++i)
            worst = std::max(worst, double(std::abs(theirs[i] - p->value.data()[i])));
    }
    double global = 0.0;
    MPI_Allreduce(&worst, &global, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
    return global;
}
}  // namespace

TEST_CASE("the test runs on two ranks") {
    REQUIRE(world().size() == 2);
}

TEST_CASE("2 ranks with half a batch each get the gradient 1 process gets from the whole batch") {
    const std::vector<Example> data = examples(8, 1);
    const std::vector<std::size_t> batch = {0, 1, 2, 3, 4, 5, 6, 7};
    Replica parallel(3), single(3);
    const double lp = parallel_gradients(parallel, data, shard_of(batch, world().rank(), 2));
    const double ls = whole_gradients(single, data, batch);
    CHECK(lp == Approx(ls).epsilon(1e-6));
    check_same_gradients(parallel, single);
}

TEST_CASE("after several steps the ranks' parameters are bitwise identical") {
    const std::vector<Example> data = examples(40, 2);
    Replica r(4);
    for (std::size_t step = 0; step < 5; ++step) {
        std::vector<std::size_t> batch;
        for (std::size_t i = 0; i < 8; ++i) batch.push_back(step * 8 + i);
        parallel_step(r, data, shard_of(batch, world().rank(), 2));
    }
    CHECK(max_difference_to_rank0(r) == 0.0);
}

TEST_CASE("uneven shards, and an empty one, give the gradient of the whole batch") {
    const std::vector<Example> data = examples(6, 5);
    const std::vector<std::size_t> batch = {0, 1, 2, 3, 4, 5};
    for (const auto& split : {std::vector<std::size_t>{1}, std::vector<std::size_t>{}}) {
        // Rank 1 takes the sentences in `split`, rank 0 the rest.
        std::vector<std::size_t> mine;
        for (std::size_t i : batch) {
            const bool on_rank1 = std::find(split.begin(), split.end(), i) != split.end();
            if (on_rank1 == (world().rank() == 1)) mine.push_back(i);
        }
        Replica parallel(6), single(6);
        const double lp = parallel_gradients(parallel, data, mine);
        const double ls = whole_gradients(single, data, batch);
        INFO("rank 1 holds " << split.size() << " sentences");
        CHECK(lp == Approx(ls).epsilon(1e-6));
        check_same_gradients(parallel, single);
    }
}

TEST_CASE("shards cover a batch once, in contiguous parts differing by at most one") {
    const std::vector<std::size_t> batch = {10, 11, 12, 13, 14, 15, 16};
    std::vector<std::size_t> all;
    for (int r = 0; r < 3; ++r) {
        const auto part = shard_of(batch, r, 3);
        CHECK((part.size() == 2 || part.size() == 3));
        all.insert(all.end(), part.begin(), part.end());
    }
    CHECK(all == batch);
    CHECK(shard_of({1}, 0, 2).empty());  // fewer sentences than ranks: the first rank waits
    CHECK(shard_of({1}, 1, 2).size() == 1);
}
