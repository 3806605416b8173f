// Chapter 00: products on sgemm agree with a plain triple loop, for every transpose,
// for batches, and when accumulating; bad shapes are clear errors.
#include <catch2/catch.hpp>

#include <limits>
#include <utility>
#include <vector>

#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/matmul.hpp"
#include "00_tensors/parallel.hpp"
#include "00_tensors/random.hpp"
#include "test_helpers.hpp"

using namespace tfm;

namespace {
Tensor<2> random_matrix(std::size_t rows, std::size_t cols, Rng& rng) {
    Tensor<2> m = xt::zeros<float>({rows, cols});
    fill_uniform(m, -1.0f, 1.0f, rng);
    return m;
}
}  // namespace

TEST_CASE("2-D sgemm matches the triple loop, with and without transposes") {
    Rng rng(1);
    const std::size_t rows = 7, in = 5, out = 3;  // odd sizes: no accidental square symmetry
    const auto a_RI = random_matrix(rows, in, rng);
    const auto b_IO = random_matrix(in, out, rng);
    const Tensor<2> expected_RO = matmul_naive(a_RI, b_IO);

    CHECK_CLOSE(matmul(a_RI, b_IO), expected_RO, 1e-5, 1e-5);
    // The same product from stored transposes, asked for with flags.
    const Tensor<2> a_IR = xt::transpose(a_RI);
    const Tensor<2> b_OI = xt::transpose(b_IO);
    CHECK_CLOSE(matmul(a_IR, b_IO, Transpose::Yes, Transpose::No), expected_RO, 1e-5, 1e-5);
    CHECK_CLOSE(matmul(a_RI, b_OI, Transpose::No, Transpose::Yes), expected_RO, 1e-5, 1e-5);
    CHECK_CLOSE(matmul(a_IR, b_OI, Transpose::Yes, Transpose::Yes), expected_RO, 1e-5, 1e-5);
}

TEST_CASE(
    "a one-row product (sgemv inside) matches the triple loop, every transpose, alpha and beta") {
    // One row is a matrix-vector product, which sgemm hands to sgemv (chapter 11's batch-1
    // decoding); the transposes, alpha and beta must mean the same there.
    Rng rng(4);
    const std::size_t in = 5, out = 3;
    const auto a_1I = random_matrix(1, in, rng);
    const auto b_IO = random_matrix(in, out, rng);
    const Tensor<2> expected_1O = matmul_naive(a_1I, b_IO);
    const Tensor<2> a_I1 = xt::transpose(a_1I);
    const Tensor<2> b_OI = xt::transpose(b_IO);
    CHECK_CLOSE(matmul(a_1I, b_IO), expected_1O, 1e-5, 1e-5);
    CHECK_CLOSE(matmul(a_I1, b_IO, Transpose::Yes, Transpose::No), expected_1O, 1e-5, 1e-5);
    CHECK_CLOSE(matmul(a_1I, b_OI, Transpose::No, Transpose::Yes), expected_1O, 1e-5, 1e-5);
    CHECK_CLOSE(matmul(a_I1, b_OI, Transpose::Yes, Transpose::Yes), expected_1O, 1e-5, 1e-5);
    Tensor<2> c_1O = xt::ones<float>({std::size_t(1), out});
    matmul_into(a_1I, b_OI, c_1O, Transpose::No, Transpose::Yes, 2.0f, 1.0f);  // c = 2ab + c
    const Tensor<2> twice_plus_one = 2.0f * expected_1O + 1.0f;
    CHECK_CLOSE(c_1O, twice_plus_one, 1e-5, 1e-5);
}

TEST_CASE("matmul_into writes into the output, scales by alpha and accumulates with beta") {
    Rng rng(2);
    const auto a = random_matrix(4, 6, rng);
    const auto b = random_matrix(6, 2, rng);
    const Tensor<2> ab = matmul_naive(a, b);
    Tensor<2> c = xt::ones<float>({4, 2});
    const float* before = c.data();
    matmul_into(a, b, c, Transpose::No, Transpose::No, 2.0f, 1.0f);  // c = 2ab + c
    CHECK(c.data() == before);                                       // no reallocation
    const Tensor<2> expected = 2.0f * ab + 1.0f;
    CHECK_CLOSE(c, expected, 1e-5, 1e-5);
}

TEST_CASE("batched products run one sgemm per slice, for rank 3 and rank 4") {
    Rng rng(3);
    const std::size_t B = 2, H = 3, L = 4, K = 5, M = 6;
    Tensor<4> q_BHLK = xt::zeros<float>({B, H, L, K});
    Tensor<4> k_BHMK = xt::zeros<float>({B, H, M, K});
    fill_uniform(q_BHLK, -1, 1, rng);
    fill_uniform(k_BHMK, -1, 1, rng);
    // scores = Q·Kᵀ per (b, h): the transpose is a flag.
    Tensor<4> scores_BHLM = xt::zeros<float>({B, H, L, M});
    matmul_into(q_BHLK, k_BHMK, scores_BHLM, Transpose::No, Transpose::Yes);
    for (std::size_t b = 0; b < B; ++b) {
        for (std::size_t h = 0; h < H; ++h) {
            const Tensor<2> q_LK = xt::view(q_BHLK, b, h);
            const Tensor<2> k_KM = xt::transpose(Tensor<2>(xt::view(k_BHMK, b, h)));
            const Tensor<2> got_LM = xt::view(scores_BHLM, b, h);
            CHECK_CLOSE(got_LM, matmul_naive(q_LK, k_KM), 1e-5, 1e-5);
        }
    }
    // Rank 3.
    Tensor<3> a_BLK = xt::zeros<float>({B, L, K});
    Tensor<3> b_BKM = xt::zeros<float>({B, K, M});
    fill_uniform(a_BLK, -1, 1, rng);
    fill_uniform(b_BKM, -1, 1, rng);
    Tensor<3> c_BLM = xt::zeros<float>({B, L, M});
    matmul_into(a_BLK, b_BKM, c_BLM);
    for (std::size_t b = 0; b < B; ++b) {
        const Tensor<2> got = xt::view(c_BLM, b);
        CHECK_CLOSE(got, matmul_naive(Tensor<2>(xt::view(a_BLK, b)), Tensor<2>(xt::view(b_BKM, b))),
                    1e-5, 1e-5);
    }
}

TEST_CASE(
    "many small batched products, shared among the cores, equal one sgemm each, bit for bit") {
    // 256 products of 16×16 by 16×16: small enough that sgemm_batched hands them to
    // parallel_for instead of looping on one core. Each is still one sgemm, so the result
    // must be exactly what a single call computes — also when the batch itself runs inside
    // a parallel loop (the nested loop then runs inline).
    Rng rng(5);
    const std::size_t B = 256, R = 16, I = 16, O = 16;  // a_RI · b_OIᵀ → c_RO, B times
    Tensor<3> a_BRI = xt::zeros<float>({B, R, I}), b_BOI = xt::zeros<float>({B, O, I});
    fill_uniform(a_BRI, -1, 1, rng);
    fill_uniform(b_BOI, -1, 1, rng);
    Tensor<3> expected_BRO = xt::zeros<float>({B, R, O});
    for (std::size_t i = 0; i < B; ++i) {
        sgemm(Transpose::No, Transpose::Yes, R, O, I, 1.0f, a_BRI.data() + i * R * I, I,
              b_BOI.data() + i * O * I, I, 0.0f, expected_BRO.data() + i * R * O, O);
    }
    Tensor<3> got_BRO = xt::zeros<float>({B, R, O});
    matmul_into(a_BRI, b_BOI, got_BRO, Transpose::No, Transpose::Yes);
    CHECK((got_BRO == expected_BRO));

    std::vector<Tensor<3>> nested(4, Tensor<3>(xt::zeros<float>({B, R, O})));
    parallel_for(nested.size(), 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t j = begin; j < end; ++j) {
            matmul_into(a_BRI, b_BOI, nested[j], Transpose::No, Transpose::Yes);
        }
    });
    for (const auto& n : nested) CHECK((n == expected_BRO));
}

TEST_CASE("matmul rejects shapes that do not fit, naming them") {
    Tensor<2> a = xt::zeros<float>({3, 4});
    Tensor<2> b = xt::zeros<float>({5, 2});
    Tensor<2> c = xt::zeros<float>({3, 2});
    CHECK_THROWS_WITH(
        matmul_into(a, b, c),
        "matmul: inner dimensions differ: op(A) is 3x4 (A [3, 4]), op(B) is 5x2 (B [5, 2])");
    Tensor<2> b_ok = xt::zeros<float>({4, 2});
    Tensor<2> c_bad = xt::zeros<float>({3, 3});
    CHECK_THROWS_WITH(matmul_into(a, b_ok, c_bad), "matmul C columns: expected 2, got 3");
    Tensor<3> a3 = xt::zeros<float>({2, 3, 4});
    Tensor<3> b3 = xt::zeros<float>({3, 4, 2});
    Tensor<3> c3 = xt::zeros<float>({2, 3, 2});
    CHECK_THROWS_WITH(matmul_into(a3, b3, c3), "matmul B batch dimension 0: expected 2, got 3");
    CHECK_THROWS_AS(matmul_into(a3, b_ok, c3), ShapeError);  // ranks differ
}

TEST_CASE(
    "the portable product (the build without BLAS) matches sgemm: every transpose, alpha and "
    "beta, sizes across its blocks, row strides wider than the rows") {
    // The WebAssembly build has no BLAS and runs sgemm_portable for every product; here it
    // must agree with OpenBLAS on products that cross its cache blocks (64 × 256 when B is
    // stored k × n; 64 KiB of B's rows when B is stored n × k), on one-row products, and on
    // matrices stored inside wider ones (lda, ldb, ldc larger than a row).
    Rng rng(6);
    struct Size {
        std::size_t m, n, k;
    };
    for (const Size& size :
         {Size{1, 7, 5}, Size{7, 3, 5}, Size{33, 300, 70}, Size{3, 9, 300}, Size{2, 513, 130}}) {
        const std::size_t m = size.m, n = size.n, k = size.k, pad = 3;
        for (const Transpose ta : {Transpose::No, Transpose::Yes}) {
            for (const Transpose tb : {Transpose::No, Transpose::Yes}) {
                for (const auto& [alpha, beta] :
                     {std::pair<float, float>{1.0f, 0.0f}, {0.5f, 1.0f}, {-2.0f, 0.25f}}) {
                    // Stored shapes, each row `pad` floats wider than the matrix.
                    const std::size_t a_rows = ta == Transpose::Yes ? k : m;
                    const std::size_t a_cols = ta == Transpose::Yes ? m : k;
                    const std::size_t b_rows = tb == Transpose::Yes ? n : k;
                    const std::size_t b_cols = tb == Transpose::Yes ? k : n;
                    const Tensor<2> a = random_matrix(a_rows, a_cols + pad, rng);
                    const Tensor<2> b = random_matrix(b_rows, b_cols + pad, rng);
                    const Tensor<2> c0 = random_matrix(m, n + pad, rng);
                    Tensor<2> expected = c0, got = c0;
                    sgemm(ta, tb, m, n, k, alpha, a.data(), a_cols + pad, b.data(), b_cols + pad,
                          beta, expected.data(), n + pad);
                    sgemm_portable(ta, tb, m, n, k, alpha, a.data(), a_cols + pad, b.data(),
                                   b_cols + pad, beta, got.data(), n + pad);
                    INFO("m " << m << " n " << n << " k " << k << " transpose A "
                              << (ta == Transpose::Yes) << " B " << (tb == Transpose::Yes)
                              << " alpha " << alpha << " beta " << beta);
                    CHECK_CLOSE(got, expected, 1e-4, 1e-5);
                    // The padding past each row of C is not C's: it must be left alone.
                    CHECK((xt::view(got, xt::all(), xt::range(n, n + pad)) ==
                           xt::view(c0, xt::all(), xt::range(n, n + pad))));
                }
            }
        }
    }
    // beta = 0 overwrites C: NaN in it must not survive (0·NaN would be NaN).
    Tensor<2> c = xt::zeros<float>({2, 2});
    c.fill(std::numeric_limits<float>::quiet_NaN());
    const Tensor<2> a = random_matrix(2, 3, rng), b = random_matrix(3, 2, rng);
    sgemm_portable(Transpose::No, Transpose::No, 2, 2, 3, 1.0f, a.data(), 3, b.data(), 2, 0.0f,
                   c.data(), 2);
    CHECK_CLOSE(c, matmul_naive(a, b), 1e-5, 1e-5);
    // k = 0: C = beta·C, and neither A nor B is read.
    Tensor<2> scaled = xt::ones<float>({2, 2});
    sgemm_portable(Transpose::No, Transpose::No, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 3.0f,
                   scaled.data(), 2);
    CHECK((scaled == Tensor<2>(3.0f * xt::ones<float>({2, 2}))));
}

TEST_CASE("the build links OpenBLAS") {
    CHECK(blas_info().find("OpenBLAS") != std::string::npos);
}
