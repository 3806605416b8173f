// mpi_exercise.hpp — the main() of an exercise's tests that run on several ranks under
// mpiexec (chapter 13): MPI started and finished once, every rank running every test (the
// collective calls must match) and rank 0 reporting, and an exercise that throws on any
// rank ending the whole job with its message, so that a rank left waiting in a message
// can never hang it.
#pragma once

#include <mpi.h>

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <exception>

#include "00_tensors/parallel.hpp"
#include "13_data_parallel/distributed.hpp"

namespace tfm::testing {

/// The job's communicator (set by TFM_MPI_EXERCISE_MAIN).
inline const Communicator*& world_pointer() {
    static const Communicator* world = nullptr;
    return world;
}
inline const Communicator& world() {
    return *world_pointer();
}

/// Calls the learner's code; if it throws on this rank, prints "rank R: message" and ends
/// every rank (the others may be waiting for this one).
template <class F>
auto on_every_rank(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        world().abort(e.what());
    }
}

}  // namespace tfm::testing

/// Defines main(): one Catch session per rank, output from rank 0 only; the job fails if a
/// test failed on any rank.
#define TFM_MPI_EXERCISE_MAIN()                                                  \
    int main(int argc, char** argv) {                                            \
        tfm::Communicator comm(argc, argv);                                      \
        tfm::testing::world_pointer() = &comm;                                   \
        tfm::set_threads(1);                                                     \
        Catch::Session session;                                                  \
        if (comm.rank() != 0) session.configData().outputFilename = "/dev/null"; \
        const int failed = session.run(argc, argv);                              \
        int any = failed;                                                        \
        MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);       \
        return any;                                                              \
    }
