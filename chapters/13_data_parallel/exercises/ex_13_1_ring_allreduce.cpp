// Exercise 13.1 (extension) — a ring allreduce of your own, with MPI_Sendrecv.
//
// The chapter describes the ring allreduce in words: reduce-scatter, then all-gather,
// each rank talking only to its neighbours. Build it from point-to-point messages alone
// and check it against MPI_Allreduce. Count what you send: the chapter says each rank
// sends 2(P − 1)/P of the data however many ranks there are.
//
// Run it with:  scripts/exercises 13.1      (it starts 3 ranks with mpiexec)
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::size_t ring_allreduce(float* data, std::size_t n, MPI_Comm comm) {
    // TODO(ex 13.1): the chunks; P − 1 rounds adding the chunk from the left; P − 1 rounds
    // copying the summed chunk from the left.
    throw std::logic_error("not implemented: exercise 13.1");
}

}  // namespace tfm::exercises
