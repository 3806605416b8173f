// mpi_tests.hpp — for tests that run on several ranks under mpiexec (chapter 13's tests
// and its exercises'): the job's communicator, and a way to call the learner's code that
// ends every rank when it throws on one. Their main() is mpi_tests_main.cpp's.
#pragma once

#include <catch2/catch.hpp>

#include <exception>

#include "13_data_parallel/distributed.hpp"

namespace tfm::testing {

/// The job's communicator (set by main() before any test runs).
inline const Communicator*& world_pointer() {
    static const Communicator* world = nullptr;
    return world;
}
inline const Communicator& world() {
    return *world_pointer();
}

/// Calls the learner's code; if it throws on this rank, prints "rank R: message" and ends
/// every rank: the others may be waiting for this one in a message, and a rank left
/// waiting would hang the job (until mpiexec's --timeout).
template <class F>
auto on_every_rank(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        world().abort(e.what());
    }
}

}  // namespace tfm::testing
