// Exercise 13.2 (derivation) — how many machines make the step fastest?
//
// With the global batch fixed, more machines split the computation ever finer, while
// every one of them pays more rounds of the allreduce. The chapter's projection table
// shows the speed-up flattening; find where, in the cost model, it stops growing at all.
// Treat P as a real number, differentiate t(P), and solve. When is the answer 1 — more
// machines never help?
//
// Then put in the chapter's numbers (t1 = 0.505 s, 36.8 MB, 9 buckets, 50 µs) for 10 and
// for 100 Gbit/s. What does the faster network buy, and what would fewer buckets buy?
//
// Test it with:  scripts/exercises 13.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

double fastest_machine_count(double t1, double bytes, double bandwidth, double buckets,
                             double latency) {
    // TODO(ex 13.2): dt/dP = 0, solved for P; never fewer than one machine.
    throw std::logic_error("not implemented: exercise 13.2");
}

}  // namespace tfm::exercises
