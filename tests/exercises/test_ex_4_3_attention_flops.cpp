// Tests for exercise 4.3 — what do heads cost?
#include <catch2/catch.hpp>

#include <array>
#include <stdexcept>

#include "00_tensors/matmul.hpp"
#include "00_tensors/random.hpp"
#include "04_multi_head_attention/exercises/exercises.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"

using tfm::Tensor;

using tfm::exercises::AttentionFlops;
using tfm::exercises::multi_head_attention_flops;

namespace {
// What the program really does: the operations tfm::sgemm counts, around one forward and
// one backward of cross-attention.
AttentionFlops measured(std::size_t B, std::size_t L, std::size_t M, std::size_t C, std::size_t H) {
    tfm::Rng rng(43);
    tfm::MultiHeadedAttention mha(H, C, 0.0f, rng);
    Tensor<3> query = Tensor<3>::from_shape({B, L, C}), memory = Tensor<3>::from_shape({B, M, C});
    tfm::fill_normal(query, 0.0f, 1.0f, rng);
    tfm::fill_normal(memory, 0.0f, 1.0f, rng);
    AttentionFlops f;
    const std::uint64_t start = tfm::sgemm_flops();
    const Tensor<3> out = mha.forward(query, memory, memory);
    f.forward = tfm::sgemm_flops() - start;
    mha.backward(out);
    f.backward = tfm::sgemm_flops() - start - f.forward;
    return f;
}
}  // namespace

TEST_CASE("exercise 4.3: the count is the program's, for every number of heads") {
    for (auto [B, L, M, C] :
         {std::array<std::size_t, 4>{2, 5, 7, 16}, std::array<std::size_t, 4>{1, 1, 9, 24},
          std::array<std::size_t, 4>{3, 8, 8, 48}}) {
        for (std::size_t H : {1, 2, 4, 8}) {
            if (C % H != 0) continue;
            const AttentionFlops expected = measured(B, L, M, C, H);
            const AttentionFlops f = multi_head_attention_flops(B, L, M, C, H);
            INFO("B " << B << ", L " << L << ", M " << M << ", C " << C << ", H " << H);
            CHECK(f.forward == expected.forward);
            CHECK(f.backward == expected.backward);
        }
    }
    CHECK_THROWS_AS(multi_head_attention_flops(1, 2, 3, 16, 3), std::invalid_argument);
}
