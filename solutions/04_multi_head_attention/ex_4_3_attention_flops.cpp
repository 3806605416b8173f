// Solution to exercise 4.3 — what do heads cost?
//
// Forward, in multiply-adds: the query and output projections B·L·C·C each, the key and
// value projections B·M·C·C each, and per (batch entry, head) the scores L·K·M and the
// weighted values L·M·K. Summed over the heads, H·K = C, so attention's two products
// cost 2·B·L·M·C whatever H is: heads are free. Backward runs two products for every
// forward one (dX = dY·Wᵀ and dW = Xᵀ·dY; dQ and dK; dP and dV): twice the work.
#include "04_multi_head_attention/exercises/exercises.hpp"

#include <stdexcept>
#include <string>

namespace tfm::exercises {

AttentionFlops multi_head_attention_flops(std::size_t B, std::size_t L, std::size_t M,
                                          std::size_t C, std::size_t H) {
    if (H == 0 || C % H != 0) {
        throw std::invalid_argument("multi_head_attention_flops: " + std::to_string(H) +
                                    " heads do not divide d_model " + std::to_string(C));
    }
    using u64 = std::uint64_t;
    const u64 projections = 2 * u64(B) * L * C * C + 2 * u64(B) * M * C * C;
    const u64 attention = 2 * u64(B) * L * M * C;  // H heads of K = C/H
    AttentionFlops f;
    f.forward = 2 * (projections + attention);
    f.backward = 2 * f.forward;
    return f;
}

}  // namespace tfm::exercises
