// Tests for exercise 7.3 — the work of greedy decoding.
#include <catch2/catch.hpp>

#include <cstdint>

#include "00_tensors/matmul.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/exercises/exercises.hpp"

using tfm::exercises::greedy_decode_flops;

namespace {
// The operations the program really performs: the sgemm counter around greedy_decode.
std::uint64_t measured(const tfm::ModelConfig& config, std::size_t B, std::size_t M,
                       std::size_t max_len) {
    tfm::EncoderDecoder model(config, 73);
    model.train(false);
    xt::xtensor<std::int64_t, 2> src = xt::xtensor<std::int64_t, 2>::from_shape({B, M});
    for (std::size_t i = 0; i < src.size(); ++i) src.data()[i] = std::int64_t(1 + i % 9);
    const std::uint64_t start = tfm::sgemm_flops();
    tfm::greedy_decode(model, src, tfm::padding_mask(src, 0), max_len, 1);
    return tfm::sgemm_flops() - start;
}
}  // namespace

TEST_CASE("exercise 7.3: the count is the program's, for every length") {
    struct Case {
        std::size_t vocab, N, C, F, H, B, M;
    };
    for (const Case& c :
         {Case{11, 1, 16, 32, 2, 2, 5}, Case{23, 2, 24, 40, 3, 3, 9}, Case{7, 3, 8, 8, 1, 1, 4}}) {
        tfm::ModelConfig config = tfm::small_config(c.vocab, c.N, c.C, c.F, c.H);
        for (std::size_t max_len : {1, 2, 7, 12}) {
            INFO("vocab " << c.vocab << ", N " << c.N << ", C " << c.C << ", F " << c.F << ", H "
                          << c.H << ", B " << c.B << ", M " << c.M << ", max_len " << max_len);
            CHECK(greedy_decode_flops(config, c.B, c.M, max_len) ==
                  measured(config, c.B, c.M, max_len));
        }
    }
}
