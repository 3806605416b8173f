// bench_sgemm.cpp — this machine's sgemm peak: one 1024 × 1024 × 1024 product, repeated.
//
//   bench_sgemm [--size N] [--repeats R]
//
// A training step is almost all matrix products, so the speed of one large product on
// OpenBLAS is the ceiling a training step can approach. Prints "sgemm <GFLOP/s>".
#include <chrono>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <xtensor/xtensor.hpp>

#include "00_tensors/matmul.hpp"
#include "00_tensors/program.hpp"
#include "00_tensors/random.hpp"

using namespace tfm;

int main(int argc, char** argv) {
    std::size_t size = 1024, repeats = 20;
    return run_program(
        argc, argv, "bench_sgemm", "sgemm peak",
        [&](const ProgramOptions& options) {
            Rng rng(options.seed);
            Tensor<2> a = xt::zeros<float>({size, size}), b = a, c = a;
            fill_uniform(a, -1, 1, rng);
            fill_uniform(b, -1, 1, rng);
            matmul_into(a, b, c);  // warm-up: OpenBLAS starts its threads
            const auto start = std::chrono::steady_clock::now();
            for (std::size_t r = 0; r < repeats; ++r) matmul_into(a, b, c);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::printf(
                "sgemm %.1f GFLOP/s (%zu³, %zu repeats, %s)\n",
                2.0 * double(size) * double(size) * double(size) * double(repeats) / seconds / 1e9,
                size, repeats, blas_info().c_str());
        },
        [&](CLI::App& app) {
            app.add_option("--size", size, "side of the matrices (default 1024)")
                ->check(CLI::Range(16, 8192));
            app.add_option("--repeats", repeats, "timed products (default 20)")
                ->check(CLI::Range(1, 100000));
        });
}
