// parallel.hpp — element-wise loops on every core.
//
// OpenBLAS runs each matrix product on all cores. Between products, though, a training
// step runs loops of its own — softmax rows, layer norms, dropout masks, the optimiser's
// update — and a plain loop runs on one core while the others wait. parallel_for splits
// such a loop into contiguous ranges, one per core: the calling thread takes the first,
// and helper threads (started once, asleep between loops) take the others. Loops too
// small to pay for waking a helper run inline.
//
// A body must only write what its own range owns (rows of an output, say): the ranges run
// at the same time. Results do not depend on the number of threads, because each element
// is computed by the same code in the same order whichever thread computes it.
// TFM_THREADS=1 in the environment turns the helpers off.
#pragma once

#include <cstddef>
#include <functional>

namespace tfm {

/// Runs body(begin, end) over contiguous ranges covering [0, n), in parallel when each
/// range would have at least `grain` items; returns when every range is done.
void parallel_for(std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, std::size_t)>& body);

/// How many threads parallel_for uses (the calling one included).
std::size_t parallel_threads();

}  // namespace tfm
