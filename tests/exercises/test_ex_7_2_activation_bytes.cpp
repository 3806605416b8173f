// Tests for exercise 7.2 — the memory a training step keeps for backward.
#include <catch2/catch.hpp>

#include <malloc.h>

#include <cmath>
#include <cstdint>

#include "03_attention/masks.hpp"
#include "07_encoder_decoder/exercises/exercises.hpp"

using tfm::exercises::activation_bytes;

namespace {
// The bytes the C library's allocator has handed out and not yet taken back (glibc).
std::size_t heap_in_use() {
    const struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

xt::xtensor<std::int64_t, 2> ids(std::size_t B, std::size_t T, std::size_t V) {
    xt::xtensor<std::int64_t, 2> out = xt::xtensor<std::int64_t, 2>::from_shape({B, T});
    for (std::size_t i = 0; i < out.size(); ++i)
        out.data()[i] = std::int64_t(1 + (i * 7) % (V - 1));
    return out;
}

// What the program keeps: the heap in use after a first forward of a fresh model, minus
// before it (a first model of the same shapes has already run, so that one-time set-ups —
// BLAS buffers, helper threads — are not counted).
std::size_t measured(const tfm::ModelConfig& config, std::size_t B, std::size_t M, std::size_t L) {
    const auto src = ids(B, M, config.src_vocab), tgt = ids(B, L, config.tgt_vocab);
    const auto src_mask = tfm::padding_mask(src, 0), tgt_mask = tfm::decoder_mask(tgt, 0);
    {
        tfm::EncoderDecoder warm_up(config, 1);
        warm_up.forward(src, tgt, src_mask, tgt_mask);
    }
    tfm::EncoderDecoder model(config, 2);
    const std::size_t before = heap_in_use();
    { const tfm::Tensor<3> out = model.forward(src, tgt, src_mask, tgt_mask); }
    return heap_in_use() - before;
}
}  // namespace

TEST_CASE("exercise 7.2: the bytes forward keeps, against the heap the program really holds") {
    struct Case {
        std::size_t N, C, F, H, B, M, L;
    };
    for (const Case& c : {Case{1, 32, 64, 4, 4, 10, 9}, Case{2, 16, 128, 2, 3, 7, 12},
                          Case{1, 16, 32, 8, 2, 40, 30}}) {
        tfm::ModelConfig config = tfm::small_config(13, c.N, c.C, c.F, c.H);
        config.dropout = 0.1f;
        const double expected = double(measured(config, c.B, c.M, c.L));
        const double derived = double(activation_bytes(config, c.B, c.M, c.L));
        INFO("N " << c.N << ", C " << c.C << ", F " << c.F << ", H " << c.H << ", B " << c.B
                  << ", M " << c.M << ", L " << c.L << ": derived " << derived
                  << " bytes, the program keeps " << expected);
        CHECK(std::abs(derived - expected) < 0.02 * expected);
    }
}

TEST_CASE("exercise 7.2: the small terms count too — ids, bool masks, a norm's σ and 1/(σ + ε)") {
    // At C = F = 4 with one head the floats per position are few, and the terms that are
    // easy to leave out are not small: at M = 3, L = 7 the token ids come to 1.8% of the
    // total, the bool masks to 1.2%, LayerNorm's two floats per row to 6.5%.
    tfm::ModelConfig config = tfm::small_config(13, 1, 4, 4, 1);
    config.dropout = 0.1f;
    const std::size_t M = 3, L = 7;
    // Everything forward keeps is proportional to B, so twice the batch keeps twice the
    // bytes in as many blocks: the difference of two measurements cancels what the
    // allocator adds per block (a header, rounding, a tensor's alignment), which the first
    // test's 2% has to allow for, all but a few bytes a block, and can be held to 0.5%.
    // With B a multiple of 64 every block is a multiple of 64 bytes, and each stays under
    // 128 KiB, so that it comes from the heap rather than from pages of its own.
    const std::size_t B1 = 256, B2 = 512;
    const double expected = double(measured(config, B2, M, L)) - double(measured(config, B1, M, L));
    const double derived =
        double(activation_bytes(config, B2, M, L)) - double(activation_bytes(config, B1, M, L));
    INFO("from B = " << B1 << " to B = " << B2 << ": derived " << derived
                     << " more bytes, the program keeps " << expected << " more");
    CHECK(std::abs(derived - expected) < 0.005 * expected);
}
