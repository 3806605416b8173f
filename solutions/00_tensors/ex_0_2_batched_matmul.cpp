// Solution to exercise 0.2 — a batched matrix product on BLAS sgemm.
#include "00_tensors/exercises/exercises.hpp"

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

void batched_matmul(const xt::xtensor<float, 3>& a_BMK, const xt::xtensor<float, 3>& b_BKN,
                    xt::xtensor<float, 3>& c_BMN) {
    const std::size_t B = a_BMK.shape()[0], M = a_BMK.shape()[1], K = a_BMK.shape()[2];
    const std::size_t N = b_BKN.shape()[2];
    check_size("batched_matmul: batch size of b_BKN", B, b_BKN.shape()[0]);
    check_size("batched_matmul: rows of b_BKN (the inner dimension K)", K, b_BKN.shape()[1]);
    check_shape("batched_matmul: c_BMN", c_BMN,
                {std::ptrdiff_t(B), std::ptrdiff_t(M), std::ptrdiff_t(N)});
    // Slice i of a row-major [B, M, K] tensor is the M·K floats starting at i·M·K.
    for (std::size_t i = 0; i < B; ++i) {
        sgemm(Transpose::No, Transpose::No, M, N, K, 1.0f, a_BMK.data() + i * M * K, K,
              b_BKN.data() + i * K * N, N, 0.0f, c_BMN.data() + i * M * N, N);
    }
}

}  // namespace tfm::exercises
