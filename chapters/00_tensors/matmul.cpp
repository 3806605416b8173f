// matmul.cpp — the only file that includes <cblas.h>, and the portable product used
// where there is no BLAS.
//
// OpenBLAS's <cblas.h> and xtensor-blas's headers declare the same CBLAS enums, so they
// cannot meet in one translation unit; keeping sgemm behind this small wrapper also
// keeps every other file free of BLAS details. A build that defines TFM_NO_BLAS (the
// WebAssembly build) compiles no BLAS call at all: sgemm runs sgemm_portable.
#include "matmul.hpp"

#include "parallel.hpp"

#ifndef TFM_NO_BLAS
#include <cblas.h>
#endif

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#ifndef TFM_NO_BLAS
// OpenBLAS-only entry points (declared in OpenBLAS's cblas.h, repeated for clarity).
extern "C" char* openblas_get_config(void);
extern "C" int openblas_get_num_threads(void);
extern "C" int openblas_get_parallel(void);
extern "C" void openblas_set_num_threads(int threads);
#endif

namespace tfm {

#ifndef TFM_NO_BLAS
namespace {
blasint to_blas_int(std::size_t v, const char* what) {
    if (v > static_cast<std::size_t>(INT_MAX)) {
        throw std::length_error(std::string("sgemm: ") + what + " exceeds BLAS's int range");
    }
    return static_cast<blasint>(v);
}
CBLAS_TRANSPOSE to_cblas(Transpose t) {
    return t == Transpose::Yes ? CblasTrans : CblasNoTrans;
}
}  // namespace
#endif

namespace {
std::atomic<std::uint64_t> flops_run{0};

#ifndef TFM_NO_BLAS
// Products of at most this many multiply-adds (m·n·k; 64³ is 262144) run on one call:
// below it, handing blocks to the threads costs more than it saves.
constexpr double kSharedProductWork = 262144.0;
// TFM_SGEMM_BLAS_THREADS=1 hands every product to OpenBLAS whole, to be partitioned over
// the team by OpenBLAS itself instead of cut into our blocks. It exists only so that the
// performance appendix can time the two partitions with the same programs; read once.
bool blas_partitions_products() {
    static const bool on = [] {
        const char* env = std::getenv("TFM_SGEMM_BLAS_THREADS");
        return env != nullptr && std::string(env) == "1";
    }();
    return on;
}
#endif
}  // namespace

std::uint64_t sgemm_flops() {
    return flops_run.load();
}

void sgemm(Transpose transpose_a, Transpose transpose_b, std::size_t m, std::size_t n,
           std::size_t k, float alpha, const float* a, std::size_t lda, const float* b,
           std::size_t ldb, float beta, float* c, std::size_t ldc) {
    if (m == 0 || n == 0) return;
    flops_run.fetch_add(2 * std::uint64_t(m) * n * k, std::memory_order_relaxed);
#ifdef TFM_NO_BLAS
    sgemm_portable(transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
#else
    if (m == 1 && k > 0) {
        // One row: a matrix-vector product. sgemm would first copy ("pack") all of B into
        // cache-friendly blocks — worth it when each loaded weight serves many rows, pure
        // overhead when it serves one (decoding a single sentence, chapter 11). sgemv reads
        // B once, in place. c = alpha · op(B)ᵀ a + beta · c, with a's k entries `inc_a` apart.
        const blasint inc_a = transpose_a == Transpose::Yes ? to_blas_int(lda, "lda") : 1;
        if (transpose_b == Transpose::Yes) {  // B is stored n × k: c = B · a
            cblas_sgemv(CblasRowMajor, CblasNoTrans, to_blas_int(n, "n"), to_blas_int(k, "k"),
                        alpha, b, to_blas_int(ldb, "ldb"), a, inc_a, beta, c, 1);
        } else {  // B is stored k × n: c = Bᵀ · a
            cblas_sgemv(CblasRowMajor, CblasTrans, to_blas_int(k, "k"), to_blas_int(n, "n"), alpha,
                        b, to_blas_int(ldb, "ldb"), a, inc_a, beta, c, 1);
        }
        return;
    }
    // BLAS requires leading dimensions ≥ 1 even for empty operands.
    const auto call = [&](std::size_t mm, std::size_t nn, const float* aa, const float* bb,
                          float* cc) {
        cblas_sgemm(CblasRowMajor, to_cblas(transpose_a), to_cblas(transpose_b),
                    to_blas_int(mm, "m"), to_blas_int(nn, "n"), to_blas_int(k, "k"), alpha, aa,
                    to_blas_int(lda == 0 ? 1 : lda, "lda"), bb,
                    to_blas_int(ldb == 0 ? 1 : ldb, "ldb"), beta, cc, to_blas_int(ldc, "ldc"));
    };
    // A product large enough to share is cut into one block of rows (or of columns, whichever
    // side is longer) per thread, and each thread multiplies its block with a one-thread
    // sgemm: inside our parallel region OpenBLAS runs single-threaded. OpenBLAS's own
    // partition of a product over its threads was slower here on every model of the book
    // but the largest (the performance appendix has the numbers): its threads meet at more
    // barriers per product, and our blocks keep each thread's share of C in its own cache.
    // The blocks are 16 wide (the kernels' register tiles fit them) and depend only on the
    // shape and the thread count, so results are the same from run to run; each element of
    // C is still summed over k in one call, in the kernel's order.
    const std::size_t threads = parallel_threads();
    if (threads > 1 && double(m) * double(n) * double(k) > kSharedProductWork &&
        !blas_partitions_products()) {
        const bool by_rows = m >= n;
        const std::size_t extent = by_rows ? m : n;
        const auto edge = [&](std::size_t t) {
            return t >= threads ? extent : std::min(extent, (extent * t / threads + 8) / 16 * 16);
        };
        parallel_for(threads, 1, [&](std::size_t first, std::size_t last) {
            for (std::size_t t = first; t < last; ++t) {
                const std::size_t s0 = edge(t), s1 = edge(t + 1);
                if (s0 >= s1) continue;
                if (by_rows) {  // rows s0..s1 of op(A) and of C
                    call(s1 - s0, n, transpose_a == Transpose::Yes ? a + s0 : a + s0 * lda, b,
                         c + s0 * ldc);
                } else {  // columns s0..s1 of op(B) and of C
                    call(m, s1 - s0, a, transpose_b == Transpose::Yes ? b + s0 * ldb : b + s0,
                         c + s0);
                }
            }
        });
        return;
    }
    call(m, n, a, b, c);
#endif
}

//! [portable sgemm]
void sgemm_portable(Transpose transpose_a, Transpose transpose_b, std::size_t m, std::size_t n,
                    std::size_t k, float alpha, const float* a, std::size_t lda, const float* b,
                    std::size_t ldb, float beta, float* c, std::size_t ldc) {
    // 1. C = beta·C. beta = 0 overwrites C, as BLAS does: whatever C held (even NaN) must
    //    not leak into the result through 0·NaN.
    for (std::size_t i = 0; i < m; ++i) {
        float* c_row = c + i * ldc;
        if (beta == 0.0f) {
            std::fill(c_row, c_row + n, 0.0f);
        } else if (beta != 1.0f) {
            for (std::size_t j = 0; j < n; ++j) c_row[j] *= beta;
        }
    }
    if (k == 0 || alpha == 0.0f) return;  // BLAS reads neither A nor B then
    // op(A)[i, p], wherever it is stored.
    const auto a_at = [&](std::size_t i, std::size_t p) {
        return transpose_a == Transpose::Yes ? a[p * lda + i] : a[i * lda + p];
    };
    if (transpose_b == Transpose::No) {
        // 2a. B stored k × n: C's row i gains alpha·op(A)[i, p] times B's row p, for every p
        //     — a loop along contiguous rows, which the compiler turns into SIMD. B is
        //     walked in blocks of kRows × kCols (64 KiB), so that a block stays in cache
        //     while every row of C uses it.
        constexpr std::size_t kRows = 64, kCols = 256;
        for (std::size_t j0 = 0; j0 < n; j0 += kCols) {
            const std::size_t j1 = std::min(n, j0 + kCols);
            for (std::size_t p0 = 0; p0 < k; p0 += kRows) {
                const std::size_t p1 = std::min(k, p0 + kRows);
                for (std::size_t i = 0; i < m; ++i) {
                    float* c_row = c + i * ldc;
                    for (std::size_t p = p0; p < p1; ++p) {
                        const float a_ip = alpha * a_at(i, p);
                        const float* b_row = b + p * ldb;
                        for (std::size_t j = j0; j < j1; ++j) c_row[j] += a_ip * b_row[j];
                    }
                }
            }
        }
        return;
    }
    // 2b. B stored n × k (Linear's weight, K in Q·Kᵀ): C[i, j] = alpha · (row i of op(A)) ·
    //     (row j of B), a dot product of two contiguous rows once op(A)'s row is copied out
    //     (it is strided when A is transposed). Eight running sums instead of one let the
    //     compiler use SIMD without reordering a single sum (no -ffast-math). B's rows are
    //     taken kRows at a time, so that they stay in cache while every row of C uses them.
    const std::size_t kRows = std::max<std::size_t>(1, (64 * 1024 / sizeof(float)) / k);
    thread_local std::vector<float> a_row;  // grows once, not per call
    a_row.resize(k);
    for (std::size_t j0 = 0; j0 < n; j0 += kRows) {
        const std::size_t j1 = std::min(n, j0 + kRows);
        for (std::size_t i = 0; i < m; ++i) {
            for (std::size_t p = 0; p < k; ++p) a_row[p] = a_at(i, p);
            float* c_row = c + i * ldc;
            for (std::size_t j = j0; j < j1; ++j) {
                const float* b_row = b + j * ldb;
                float sums[8] = {0, 0, 0, 0, 0, 0, 0, 0};
                std::size_t p = 0;
                for (; p + 8 <= k; p += 8)
                    for (std::size_t s = 0; s < 8; ++s) sums[s] += a_row[p + s] * b_row[p + s];
                float dot = ((sums[0] + sums[4]) + (sums[1] + sums[5])) +
                            ((sums[2] + sums[6]) + (sums[3] + sums[7]));
                for (; p < k; ++p) dot += a_row[p] * b_row[p];
                c_row[j] += alpha * dot;
            }
        }
    }
}
//! [portable sgemm]

void sgemm_batched(std::size_t batch, Transpose transpose_a, Transpose transpose_b, std::size_t m,
                   std::size_t n, std::size_t k, float alpha, const float* a, std::size_t stride_a,
                   const float* b, std::size_t stride_b, float beta, float* c,
                   std::size_t stride_c) {
    // Row strides of the stored (not the transposed) matrices.
    const std::size_t lda = transpose_a == Transpose::Yes ? m : k;
    const std::size_t ldb = transpose_b == Transpose::Yes ? k : n;
    const auto products = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            sgemm(transpose_a, transpose_b, m, n, k, alpha, a + i * stride_a, lda, b + i * stride_b,
                  ldb, beta, c + i * stride_c, n);
        }
    };
    // A batch can share the threads in two ways: every product split across all of them
    // (what one sgemm call does by itself), or the products handed out whole, a range of
    // them to each thread, each product one single-threaded sgemm (OpenBLAS runs a call
    // made inside a parallel loop on the calling thread). Handing out whole products is
    // one hand-over for the whole batch instead of one per product, and packs no operand
    // twice; it balances when the products divide evenly among the threads or are many.
    // And products below kOpenBlasSingleThreaded multiply-adds (attention's per-(sentence,
    // head) products: 10×64 by 64×10 in the copy task) are never split by OpenBLAS at all,
    // so a plain loop over them would leave every other core idle.
    // A product handed out is computed exactly as one sgemm on one thread computes it.
    constexpr double kOpenBlasSingleThreaded = 65536.0 * 4;  // SMP_THRESHOLD_MIN × 4
    const double work = double(m) * double(n) * double(k);
    const std::size_t threads = parallel_threads();
    if (batch > 1 &&
        (work <= kOpenBlasSingleThreaded || batch % threads == 0 || batch >= 4 * threads)) {
        // At least ~64k multiply-adds per range, so waking a core pays for itself.
        const std::size_t grain = std::max<std::size_t>(1, std::size_t(65536.0 / (work + 1.0)));
        parallel_for(batch, grain, products);
    } else {
        products(0, batch);
    }
}

std::string blas_info() {
#ifdef TFM_NO_BLAS
    return "no BLAS: portable loops (sgemm_portable)";
#else
    // openblas_get_parallel: 0 one thread, 1 its own pthreads pool, 2 OpenMP's team.
    static const char* const threading[] = {"single-threaded", "pthreads", "OpenMP"};
    const int parallel = openblas_get_parallel();
    return std::string(openblas_get_config()) + " on " +
           (parallel >= 0 && parallel <= 2 ? threading[parallel] : "?") + " (" +
           std::to_string(openblas_get_num_threads()) + " threads)";
#endif
}

void set_blas_threads(std::size_t threads) {
#ifndef TFM_NO_BLAS
    openblas_set_num_threads(int(threads));
#else
    (void)threads;
#endif
}

Tensor<2> matmul(const Tensor<2>& a, const Tensor<2>& b, Transpose transpose_a,
                 Transpose transpose_b) {
    const std::size_t m = transpose_a == Transpose::Yes ? a.shape()[1] : a.shape()[0];
    const std::size_t n = transpose_b == Transpose::Yes ? b.shape()[0] : b.shape()[1];
    Tensor<2> c = xt::zeros<float>({m, n});
    matmul_into(a, b, c, transpose_a, transpose_b);
    return c;
}

Tensor<2> matmul_naive(const Tensor<2>& a, const Tensor<2>& b) {
    check_size("matmul_naive inner dimension", a.shape()[1], b.shape()[0]);
    const std::size_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
    Tensor<2> c = xt::zeros<float>({m, n});
    for (std::size_t i = 0; i < m; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            double sum = 0.0;  // double: the reference should be the more accurate side
            for (std::size_t p = 0; p < k; ++p) sum += double(a(i, p)) * double(b(p, j));
            c(i, j) = static_cast<float>(sum);
        }
    }
    return c;
}

}  // namespace tfm
