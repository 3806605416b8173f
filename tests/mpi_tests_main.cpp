// The main() of the tests that run on several ranks under mpiexec (chapter 13's tests and
// its exercises'): MPI started and finished once, one Catch session per rank with every
// rank running every test (the collective calls must match), output from rank 0 only;
// the job fails if a test failed on any rank. Catch2's implementation comes with this
// main (the CATCH_CONFIG_RUNNER below), so it is compiled here once, for every such test
// program, and without optimisation: it is the test runner, not the code under test, and
// at -O3 it alone takes over 20 seconds to compile.
#include <mpi.h>

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "00_tensors/parallel.hpp"
#include "mpi_tests.hpp"

int main(int argc, char** argv) {
    tfm::Communicator comm(argc, argv);
    tfm::testing::world_pointer() = &comm;
    tfm::set_threads(1);  // one thread per rank: the ranks are the parallelism
    Catch::Session session;
    if (comm.rank() != 0) session.configData().outputFilename = "/dev/null";
    const int failed = session.run(argc, argv);
    int any = failed;
    MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return any;
}
