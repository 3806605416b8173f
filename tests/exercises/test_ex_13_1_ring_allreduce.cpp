// Tests for exercise 13.1 — a ring allreduce of your own, with MPI_Sendrecv (run under
// mpiexec on 3 ranks: a ring of 2 is only an exchange).
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "00_tensors/random.hpp"
#include "13_data_parallel/exercises/exercises.hpp"
#include "mpi_tests.hpp"

using tfm::exercises::ring_allreduce;
using tfm::testing::on_every_rank;
using tfm::testing::world;

namespace {
// Each rank's own data: integers (sums exact in any order) or random floats.
std::vector<float> rank_data(std::size_t n, bool integers) {
    tfm::Rng rng(1000 + std::uint64_t(world().rank()));
    std::vector<float> x(n);
    for (float& v : x) v = integers ? float(rng.below(1000)) : float(rng.uniform() * 2.0 - 1.0);
    return x;
}
}  // namespace

TEST_CASE("exercise 13.1: the ring's sums are MPI_Allreduce's, for any length") {
    const int P = world().size();
    for (std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(2), std::size_t(7),
                          std::size_t(3 * 64), std::size_t(1000), std::size_t(4099)}) {
        for (bool integers : {true, false}) {
            INFO("n = " << n << (integers ? ", integers" : ", random floats") << ", " << P
                        << " ranks");
            std::vector<float> ours = rank_data(n, integers), theirs = ours;
            const std::size_t sent =
                on_every_rank([&] { return ring_allreduce(ours.data(), n, MPI_COMM_WORLD); });
            MPI_Allreduce(MPI_IN_PLACE, theirs.data(), int(n), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            double worst = 0.0;
            for (std::size_t i = 0; i < n; ++i)
                worst = std::max(worst, double(std::abs(ours[i] - theirs[i])));
            CHECK(worst <= (integers ? 0.0 : 1e-5));
            // Every chunk travels P − 1 times in each phase: 2(P − 1)·n floats in all.
            const std::uint64_t all_sent = world().sum(std::uint64_t(sent));
            CHECK(all_sent == 2 * std::uint64_t(P - 1) * n);
            // With equal chunks, each rank sends 2(P − 1)/P of the data.
            if (n % std::size_t(P) == 0) CHECK(sent == 2 * std::size_t(P - 1) * n / std::size_t(P));
        }
    }
}
