// parallel.hpp — element-wise loops on every core, on the same threads as the products.
//
// OpenBLAS runs each matrix product on all cores. Between products, though, a training
// step runs loops of its own — softmax rows, layer norms, dropout masks, the optimiser's
// update — and a plain loop runs on one core while the others wait. parallel_for splits
// such a loop into contiguous ranges, one per thread, and runs them at once. Loops too
// small to pay for the hand-over run inline.
//
// The threads are OpenMP's: the team libgomp keeps for the whole program, which is also
// the team the BLAS we link (OpenBLAS built with OpenMP, see cmake/blas.cmake) runs its
// products on. One set of threads does everything, and between two pieces of work it
// spins for a moment before it sleeps, so a product right after a loop (or a loop after a
// product) finds it awake. Two pools — one for the products, one for the loops — would
// take turns on the same cores, each waking the other's threads and waiting for them to
// go back to sleep; the performance appendix measures what that cost.
//
// A body must only write what its own range owns (rows of an output, say): the ranges run
// at the same time. A loop's results do not depend on the number of threads, because each
// element is computed by the same code in the same order whichever thread computes it (a
// product's may: matmul.cpp cuts it into one block per thread).
//
// How many threads: TFM_THREADS in the environment if set (it sets the products' threads
// too), else OpenMP's own default (OMP_NUM_THREADS, or one per core). set_threads changes
// it from the program, as chapter 13's ranks do (one thread each).
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>

namespace tfm {

/// Runs body(begin, end) over contiguous ranges covering [0, n), in parallel when each
/// range would have at least `grain` items; returns when every range is done. An
/// exception thrown by a body is rethrown here (the first one, if several ranges throw).
void parallel_for(std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, std::size_t)>& body);

/// y[i] += x[i] for i < n, on every core: residual connections and summed gradients.
void add_into(float* y, const float* x, std::size_t n);

/// y[i] = x[i] for i < n, on every core: a copy that a step makes of a whole activation.
void copy_into(float* y, const float* x, std::size_t n);

/// y += x for two tensors (any containers with data() and size()) of equal sizes.
template <class Y, class X>
void add_into(Y& y, const X& x) {
    if (y.size() != x.size()) throw std::length_error("add_into: sizes differ");
    add_into(y.data(), x.data(), y.size());
}

/// How many threads parallel_for and the products use (the calling one included).
std::size_t parallel_threads();

/// Use `threads` threads (at least 1) from now on, for the loops and for the products.
void set_threads(std::size_t threads);

}  // namespace tfm
