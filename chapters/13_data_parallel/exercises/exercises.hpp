// exercises.hpp — chapter 13's exercises (run `scripts/exercises` from the top; 13.1 and
// 13.3 run under mpiexec, on several ranks).
#pragma once

#include <mpi.h>

#include <cstddef>

#include "00_tensors/parameter.hpp"
#include "08_training/train.hpp"
#include "13_data_parallel/distributed.hpp"

namespace tfm::exercises {

/// Exercise 13.1 (extension): sums the n floats of `data` over the ranks of `comm`, in
/// place, with a ring allreduce built from MPI_Sendrecv alone: the data cut into P
/// chunks, chunk c holding floats ⌊c·n/P⌋ up to (not including) ⌊(c+1)·n/P⌋; P − 1
/// rounds of reduce-scatter, then P − 1 rounds of all-gather, each rank sending only to
/// rank + 1 and receiving only from rank − 1 (mod P). Returns the number of floats this
/// rank sent. Every rank must call it with the same n.
std::size_t ring_allreduce(float* data, std::size_t n, MPI_Comm comm);

/// Exercise 13.2 (derivation): in chapter 13's cost model with the global batch fixed,
/// t(P) = t1/P + 2(P−1)/P · bytes/bandwidth + 2(P−1) · buckets · latency, the number of
/// machines P ≥ 1 — a real number — at which a step is fastest (and so the speed-up
/// t1/t(P) highest): 1 when no P above 1 is faster. From a closed form, not a search.
double fastest_machine_count(double t1, double bytes, double bandwidth, double buckets,
                             double latency);

/// Exercise 13.3 (experiment): every rank holds its shard (not empty) of one global batch.
/// Computes the batch's gradient both ways, on `params` — chapter 13's way (the summed
/// losses, scaled by the global token count, summed over the ranks) and the tempting way
/// (each rank's mean loss over its own tokens, the ranks' gradients averaged) — and
/// returns how far apart they are, ‖g_means − g‖ / ‖g‖ over all the parameters. The
/// same number on every rank; leaves the gradients at zero.
double mean_of_means_error(const Batch& shard, const BatchLoss& loss, const ParameterList& params,
                           const Communicator& comm);

}  // namespace tfm::exercises
