// parallel.cpp — parallel_for on OpenMP's team of threads.
//
// A build without OpenMP (the WebAssembly build of the Look inside page) runs every loop
// on the calling thread.
#include "parallel.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <mutex>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace tfm {

// The BLAS's own setting of its thread count (matmul.cpp, the file that knows the BLAS).
void set_blas_threads(std::size_t threads);

namespace {

void use_threads(std::size_t threads) {
    threads = std::max<std::size_t>(threads, 1);
#ifdef _OPENMP
    omp_set_num_threads(int(threads));
#endif
    set_blas_threads(threads);
}

// TFM_THREADS, read once, before the first loop or the first set_threads (which then wins).
void apply_environment() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (const char* env = std::getenv("TFM_THREADS")) {
            const long v = std::strtol(env, nullptr, 10);
            if (v >= 1 && v <= 256) use_threads(std::size_t(v));
        }
    });
}

}  // namespace

void set_threads(std::size_t threads) {
    apply_environment();
    use_threads(threads);
}

std::size_t parallel_threads() {
    apply_environment();
#ifdef _OPENMP
    return std::size_t(omp_get_max_threads());
#else
    return 1;
#endif
}

//! [parallel for]
void parallel_for(std::size_t n, std::size_t grain,
                  const std::function<void(std::size_t, std::size_t)>& body) {
    const std::size_t threads = parallel_threads();
    const std::size_t parts =
        std::min(threads, grain == 0 ? threads : n / std::max<std::size_t>(grain, 1));
#ifdef _OPENMP
    // A parallel_for inside a body (a batched product inside a parallel loop, say) runs
    // inline: the team is busy with the outer loop, and its cores with it.
    const bool nested = omp_in_parallel() != 0;
#else
    const bool nested = true;
#endif
    if (parts <= 1 || nested) {
        if (n > 0) body(0, n);
        return;
    }
#ifdef _OPENMP
    // An exception must not leave a parallel region (the program would end): each range
    // catches its own, and the first is rethrown once every range has finished.
    std::exception_ptr error;
#pragma omp parallel num_threads(int(parts))
    {
        // The team may be smaller than asked for (OMP_DYNAMIC, a thread limit): the ranges
        // follow the team actually given, and cover [0, n) either way.
        const std::size_t part = std::size_t(omp_get_thread_num());
        const std::size_t team = std::size_t(omp_get_num_threads());
        try {
            body(n * part / team, n * (part + 1) / team);
        } catch (...) {
#pragma omp critical(tfm_parallel_for_error)
            if (!error) error = std::current_exception();
        }
    }
    if (error) std::rethrow_exception(error);
#endif
}
//! [parallel for]

void add_into(float* y, const float* x, std::size_t n) {
    parallel_for(n, 1 << 14, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) y[i] += x[i];
    });
}

void copy_into(float* y, const float* x, std::size_t n) {
    parallel_for(n, 1 << 14, [&](std::size_t first, std::size_t last) {
        std::copy(x + first, x + last, y + first);
    });
}

}  // namespace tfm
