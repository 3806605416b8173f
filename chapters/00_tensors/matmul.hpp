// matmul.hpp — matrix products on BLAS sgemm: 2-D, batched, transposed, accumulated.
//
// Nearly all of a Transformer's arithmetic is matrix products: the Q/K/V/O projections,
// Q·Kᵀ and P·V inside attention, the feed-forward network, the generator, and the same
// again in the backward pass. A good BLAS runs a product 10–100× faster than a plain
// triple loop (the chapter's demo times both), so every product in this book goes
// through one function, `matmul_into`, which calls OpenBLAS's sgemm:
//
//   C = alpha · op(A) · op(B) + beta · C,   op(X) = X or Xᵀ
//
// Transposes are sgemm flags, never copies; `beta = 1` accumulates into C, which is
// exactly what a backward pass does with weight gradients. Tensors of rank 3 or more
// are batches of matrices: the leading dimensions must match and index the batch, the
// last two are the matrix, and we run one sgemm per contiguous slice. That is what
// `(B,H,L,K) @ (B,H,K,M) -> (B,H,L,M)` means in attention.
//
// Where there is no BLAS — the browser build of the book's "Look inside" page, compiled to
// WebAssembly, for which no OpenBLAS exists — sgemm runs `sgemm_portable` instead: plain
// C++ loops over cache-sized blocks, slower but the same arithmetic. Native builds never
// use it; a test holds it to sgemm's results so that it cannot quietly go wrong.
//
// Left out on purpose: broadcasting over batch dimensions (the model never needs it)
// and strided views (every tensor here is a contiguous row-major container).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <xtensor/xtensor.hpp>

#include "shapes.hpp"

namespace tfm {

/// Whether sgemm should read an operand as its transpose.
enum class Transpose : bool { No = false, Yes = true };

/// Row-major sgemm on raw pointers: C[m×n] = alpha·op(A)·op(B) + beta·C, where op(A)
/// is m×k and op(B) is k×n. `lda`, `ldb`, `ldc` are row strides in elements.
void sgemm(Transpose transpose_a, Transpose transpose_b, std::size_t m, std::size_t n,
           std::size_t k, float alpha, const float* a, std::size_t lda, const float* b,
           std::size_t ldb, float beta, float* c, std::size_t ldc);

/// The same product in portable C++ (no BLAS): what sgemm runs in a build without BLAS
/// (TFM_NO_BLAS, the WebAssembly build). Same arguments, same meaning, including beta = 0
/// overwriting C whatever it held.
void sgemm_portable(Transpose transpose_a, Transpose transpose_b, std::size_t m, std::size_t n,
                    std::size_t k, float alpha, const float* a, std::size_t lda, const float* b,
                    std::size_t ldb, float beta, float* c, std::size_t ldc);

/// `batch` independent sgemms over contiguous slices spaced `stride_a`, `stride_b` and
/// `stride_c` elements apart.
void sgemm_batched(std::size_t batch, Transpose transpose_a, Transpose transpose_b, std::size_t m,
                   std::size_t n, std::size_t k, float alpha, const float* a, std::size_t stride_a,
                   const float* b, std::size_t stride_b, float beta, float* c,
                   std::size_t stride_c);

/// The floating-point operations (2·m·n·k per product) of every sgemm this process has
/// run: the benchmark's measure of a training step's work.
std::uint64_t sgemm_flops();

/// Which BLAS the program runs on, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... (2 threads)".
/// Calling it at all proves we linked OpenBLAS: the symbol exists nowhere else. A build
/// without BLAS says so.
std::string blas_info();

/// The BLAS's own thread count. Programs call set_threads (parallel.hpp), which sets this
/// and the element-wise loops' count together.
void set_blas_threads(std::size_t threads);

/// C = alpha · op(A) · op(B) + beta · C, written into the preallocated `c`.
///
/// Works on rank-2 tensors (one product) and on rank ≥ 3 tensors whose leading
/// dimensions agree (a batch of products). All three must be contiguous row-major
/// containers (`xt::xtensor`, `xt::xarray`, or `xt::adapt` over a buffer). Shapes are
/// checked: a mismatch throws a ShapeError naming the operand and both shapes.
template <class TensorA, class TensorB, class TensorC>
void matmul_into(const TensorA& a, const TensorB& b, TensorC& c,
                 Transpose transpose_a = Transpose::No, Transpose transpose_b = Transpose::No,
                 float alpha = 1.0f, float beta = 0.0f) {
    const std::size_t rank = a.dimension();
    if (rank < 2) check_rank("matmul A", a, 2);
    check_rank("matmul B", b, rank);
    check_rank("matmul C", c, rank);
    std::size_t batch = 1;
    for (std::size_t d = 0; d + 2 < rank; ++d) {
        check_size("matmul B batch dimension " + std::to_string(d), a.shape()[d], b.shape()[d]);
        check_size("matmul C batch dimension " + std::to_string(d), a.shape()[d], c.shape()[d]);
        batch *= a.shape()[d];
    }
    const std::size_t a_rows = a.shape()[rank - 2], a_cols = a.shape()[rank - 1];
    const std::size_t b_rows = b.shape()[rank - 2], b_cols = b.shape()[rank - 1];
    // op(A) is m×k and op(B) is k×n.
    const std::size_t m = transpose_a == Transpose::Yes ? a_cols : a_rows;
    const std::size_t k = transpose_a == Transpose::Yes ? a_rows : a_cols;
    const std::size_t k_b = transpose_b == Transpose::Yes ? b_cols : b_rows;
    const std::size_t n = transpose_b == Transpose::Yes ? b_rows : b_cols;
    if (k != k_b) {
        throw ShapeError("matmul: inner dimensions differ: op(A) is " + std::to_string(m) + "x" +
                         std::to_string(k) + " (A " + shape_to_string(a.shape()) + "), op(B) is " +
                         std::to_string(k_b) + "x" + std::to_string(n) + " (B " +
                         shape_to_string(b.shape()) + ")");
    }
    check_size("matmul C rows", m, c.shape()[rank - 2]);
    check_size("matmul C columns", n, c.shape()[rank - 1]);
    sgemm_batched(batch, transpose_a, transpose_b, m, n, k, alpha, a.data(), a_rows * a_cols,
                  b.data(), b_rows * b_cols, beta, c.data(), m * n);
}

/// op(A) · op(B) for rank-2 tensors, returned in a new tensor.
Tensor<2> matmul(const Tensor<2>& a, const Tensor<2>& b, Transpose transpose_a = Transpose::No,
                 Transpose transpose_b = Transpose::No);

/// The same product as three plain loops: the reference the tests compare with, and
/// the slow baseline the demo times. Never use it in the model.
Tensor<2> matmul_naive(const Tensor<2>& a, const Tensor<2>& b);

}  // namespace tfm
