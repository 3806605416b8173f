// Chapter 00 — tensors and shapes: the demo.
//
// Walks through the tools every later chapter uses, printing values a reader can check:
// shapes and shape errors, xtensor's views, broadcasting and reductions, the same matrix
// product three ways (with timings), seeded initialisation, .npy files, and the first
// forward/backward pairs — Linear and softmax — with their gradient checks.
//
//   ch00_tensors [--size N] [--seed S]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xio.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include "gradcheck.hpp"
#include "linear.hpp"
#include "matmul.hpp"
#include "npy.hpp"
#include "program.hpp"
#include "random.hpp"
#include "shapes.hpp"
#include "softmax.hpp"

using namespace tfm;

namespace {

void heading(const std::string& title) {
    std::cout << "\n== " << title << " ==\n";
}

template <class F>
double seconds(F&& f) {
    const auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void shapes_demo() {
    heading("Shapes: the suffix is the shape");
    //! [shape check]
    // A batch of B=2 sequences of L=3 tokens, each a C=4 vector: x_BLC.
    Tensor<3> x_BLC = xt::zeros<float>({2, 3, 4});
    check_shape("x_BLC", x_BLC, {2, 3, 4});  // passes silently
    try {
        check_shape("x_BLC", x_BLC, {2, 3, 8});  // a layer expecting C = 8
    } catch (const ShapeError& e) {
        std::cout << "caught: " << e.what() << "\n";
    }
    //! [shape check]
    std::cout << "x_BLC has shape " << shape_to_string(x_BLC.shape()) << "\n";
}

void xtensor_demo() {
    heading("xtensor: views, broadcasting, reductions");
    //! [xtensor basics]
    // xtensor<T, N> has a fixed rank N (checked by the compiler, faster); xarray<T> has a
    // rank chosen at run time. Activations in this book are xtensors; parameters, whose
    // rank varies (bias 1-D, weight 2-D), are xarrays.
    Tensor<2> x_LC = {{1, 2, 3}, {4, 5, 6}};
    // A view is a window onto the same memory: no copy. Row 1 of x_LC:
    auto row_C = xt::view(x_LC, 1, xt::all());
    std::cout << "row 1 of x_LC: " << row_C << "\n";
    // Broadcasting: a [C] vector added to every row of an [L, C] matrix, as a bias is.
    Tensor<1> b_C = {10, 20, 30};
    Tensor<2> y_LC = x_LC + b_C;  // evaluated into a real tensor
    std::cout << "x_LC + b_C =\n" << y_LC << "\n";
    // Reductions: keep the reduced axis (keep_dims) so the result, [L, 1], broadcasts
    // back against [L, C] — and store it in a tensor before using it (see the trap below).
    Tensor<2> row_max_L1 = xt::amax(x_LC, {1}, xt::keep_dims);
    Tensor<2> centred_LC = x_LC - row_max_L1;
    std::cout << "x_LC minus its row maxima =\n" << centred_LC << "\n";
    //! [xtensor basics]

    //! [lazy trap]
    // xtensor expressions are lazy: `x_LC + b_C` is a recipe that holds references to its
    // operands, computed only when assigned into a container. Two traps follow:
    //  * `auto s = a + b;` where a or b is a temporary keeps a dangling reference;
    //  * in xtensor 0.24, a lazy keep_dims reducer inside a larger expression computes
    //    wrong values for every row after the first: `x - xt::amax(x, {1}, xt::keep_dims)`.
    // The rule of this book: evaluate into a named container, `Tensor<2> m = ...`.
    Tensor<2> safe_LC = x_LC - row_max_L1;  // both operands are real tensors
    //! [lazy trap]
    std::cout << "same result, evaluated safely: " << (safe_LC == centred_LC ? "yes" : "no")
              << "\n";
}

void matmul_demo(std::size_t n) {
    heading("Matrix products: " + std::to_string(n) + "x" + std::to_string(n) + "x" +
            std::to_string(n) + " three ways");
    std::cout << "BLAS: " << blas_info() << "\n";
    Rng rng(0);
    Tensor<2> a = xt::zeros<float>({n, n});
    Tensor<2> b = xt::zeros<float>({n, n});
    fill_uniform(a, -1, 1, rng);
    fill_uniform(b, -1, 1, rng);
    const double flop = 2.0 * double(n) * n * n;
    Tensor<2> c = xt::zeros<float>({n, n});  // allocated once, outside the timing
    matmul_into(a, b, c);  // warm-up, so no timing includes OpenBLAS starting its threads

    Tensor<2> c_naive;
    const double t_naive = seconds([&] { c_naive = matmul_naive(a, b); });
    Tensor<2> c_dot;
    const double t_dot = seconds([&] { c_dot = xt::linalg::dot(a, b); });
    //! [sgemm call]
    // c = a·b into the preallocated c: one sgemm, no temporary, no copy.
    const double t_sgemm = seconds([&] { matmul_into(a, b, c); });
    //! [sgemm call]
    const double diff = xt::amax(xt::abs(c - c_naive))();
    std::printf("  naive triple loop   %8.1f ms  %7.1f GFLOP/s\n", 1e3 * t_naive,
                flop / t_naive * 1e-9);
    std::printf("  xt::linalg::dot     %8.1f ms  %7.1f GFLOP/s\n", 1e3 * t_dot,
                flop / t_dot * 1e-9);
    std::printf("  matmul_into (sgemm) %8.1f ms  %7.1f GFLOP/s  (%.0fx the naive loop)\n",
                1e3 * t_sgemm, flop / t_sgemm * 1e-9, t_naive / t_sgemm);
    std::printf("  largest difference sgemm vs naive: %.2e\n", diff);
}

void random_demo(std::uint64_t seed) {
    heading("Seeded initialisation");
    //! [xavier]
    Rng rng(seed);
    Tensor<2> w_CF = xt::zeros<float>({512, 2048});
    xavier_uniform(w_CF, rng);  // U(-a, a), a = sqrt(6 / (fan_in + fan_out))
    //! [xavier]
    const double a = std::sqrt(6.0 / (512 + 2048));
    const double var = xt::mean(w_CF * w_CF)();
    std::printf(
        "  xavier_uniform [512, 2048]: bound %.5f, max |w| %.5f, variance %.3e (expected %.3e)\n",
        a, double(xt::amax(xt::abs(w_CF))()), var, a * a / 3);
    Rng again(seed);
    Tensor<2> w2 = xt::zeros<float>({512, 2048});
    xavier_uniform(w2, again);
    std::cout << "  same seed, same weights: " << (w2 == w_CF ? "yes" : "no") << "\n";
}

void npy_demo() {
    heading(".npy files");
    const ScratchDirectory scratch("ch00");  // removed, with the file, at the end of the demo
    const std::string& dir = scratch.path();
    xt::xtensor<std::int64_t, 2> ids_BL = {{5, 7, 2, 0}, {3, 3, 9, 1}};
    save_npy(dir + "/ids.npy", ids_BL);
    std::cout << "  wrote and read back " << dir
              << "/ids.npy: " << load_npy<std::int64_t, 2>(dir + "/ids.npy") << "\n";
    try {
        load_npy<float, 2>(dir + "/ids.npy");
    } catch (const NpyError& e) {
        std::cout << "  asking for float32 instead: " << e.what() << "\n";
    }
}

void linear_softmax_demo(std::uint64_t seed) {
    heading("Linear and softmax: forward, backward, gradient check");
    Rng rng(seed);
    //! [linear demo]
    Linear proj(4, 3, rng, "proj.");  // weight [3, 4], bias [3]
    Tensor<3> x_BLC = xt::zeros<float>({2, 5, 4});
    fill_uniform(x_BLC, -1, 1, rng);
    Tensor<3> y_BLO = proj.forward(x_BLC);  // [2, 5, 3]
    Tensor<3> p_BLO = softmax(y_BLO);       // rows sum to 1
    // A made-up loss L = Σ g ⊙ p, so that ∂L/∂p = g.
    Tensor<3> g_BLO = xt::zeros<float>({2, 5, 3});
    fill_uniform(g_BLO, -1, 1, rng);
    Tensor<3> dy_BLO = softmax_backward(p_BLO, g_BLO);
    Tensor<3> dx_BLC = proj.backward(dy_BLO);
    //! [linear demo]
    std::cout << "  y_BLO shape " << shape_to_string(y_BLO.shape())
              << ", first row of softmax: " << xt::view(p_BLO, 0, 0) << "\n";
    auto loss = [&] { return dot_double(softmax(proj.forward(x_BLC)), g_BLO); };
    const xt::xarray<float> dw = proj.weight.grad;
    for (const auto& r : {check_gradient("x_BLC", x_BLC, dx_BLC, loss),
                          check_gradient("proj.weight", proj.weight.value, dw, loss)}) {
        std::cout << "  " << r.report << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t size = 512;
    return run_program(
        argc, argv, "ch00_tensors", "Chapter 00 — tensors and shapes",
        [&](const ProgramOptions& options) {
            shapes_demo();
            xtensor_demo();
            matmul_demo(size);
            random_demo(options.seed);
            npy_demo();
            linear_softmax_demo(options.seed);
        },
        [&](CLI::App& app) {
            app.remove_option(app.get_option("--figures"));  // this chapter draws no figures
            app.add_option("--size", size, "side of the square matrices in the timing")
                ->check(CLI::Range(1, 1024));  // the naive loop is O(n³): 1024 takes seconds
        });
}
