// Solution to exercise 13.1 — a ring allreduce of your own, with MPI_Sendrecv.
#include "13_data_parallel/exercises/exercises.hpp"

#include <algorithm>
#include <vector>

namespace tfm::exercises {

std::size_t ring_allreduce(float* data, std::size_t n, MPI_Comm comm) {
    int rank = 0, ranks = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &ranks);
    const std::size_t P = std::size_t(ranks), r = std::size_t(rank);
    if (P == 1) return 0;
    const int right = int((r + 1) % P), left = int((r + P - 1) % P);
    const auto begin = [&](std::size_t c) { return c * n / P; };
    const auto size = [&](std::size_t c) { return begin(c + 1) - begin(c); };
    std::vector<float> incoming(n / P + 1);  // the largest chunk
    std::size_t sent = 0;
    // Reduce-scatter: in round k, send chunk (r − k) and add the neighbour's chunk
    // (r − k − 1) to ours. After P − 1 rounds, chunk (r + 1) mod P holds the full sum.
    for (std::size_t k = 0; k + 1 < P; ++k) {
        const std::size_t out = (r + P - k) % P, in = (r + 2 * P - k - 1) % P;
        MPI_Sendrecv(data + begin(out), int(size(out)), MPI_FLOAT, right, 0, incoming.data(),
                     int(size(in)), MPI_FLOAT, left, 0, comm, MPI_STATUS_IGNORE);
        for (std::size_t i = 0; i < size(in); ++i) data[begin(in) + i] += incoming[i];
        sent += size(out);
    }
    // All-gather: pass the summed chunks around the ring, each rank overwriting its copy:
    // in round k, send chunk (r + 1 − k) and receive chunk (r − k).
    for (std::size_t k = 0; k + 1 < P; ++k) {
        const std::size_t out = (r + 1 + P - k) % P, in = (r + P - k) % P;
        MPI_Sendrecv(data + begin(out), int(size(out)), MPI_FLOAT, right, 1, data + begin(in),
                     int(size(in)), MPI_FLOAT, left, 1, comm, MPI_STATUS_IGNORE);
        sent += size(out);
    }
    return sent;
}

}  // namespace tfm::exercises
