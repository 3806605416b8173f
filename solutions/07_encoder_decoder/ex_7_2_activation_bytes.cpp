// Solution to exercise 7.2 — the memory a training step keeps for backward.
//
// What each module keeps, per forward (read from the chapters' code):
//   Linear               its input, rows × in (in self-attention, forward_self, W_K and W_V
//                        keep none: they read W_Q's copy)
//   Dropout              its mask, one float per element (in training with p > 0)
//   LayerNorm            x̂ (rows × C) and two floats per row (σ and 1/(σ + ε))
//   ScaledDotProduct-    q, k and v; the weights p and the dropped p̃, [B, H, L, M] each
//   Attention            (plus the dropout mask on p, a third [B, H, L, M]); the mask
//   PositionwiseFF       w_1's input (C), h (F), the mask on relu(h) (F), w_2's input (F)
//   Embeddings           the ids; the positional encoding's dropout mask
#include "07_encoder_decoder/exercises/exercises.hpp"

namespace tfm::exercises {

namespace {
// One multi-head attention over R query rows and S key rows. Self-attention (S = R) keeps
// its input once; cross-attention keeps the memory twice, for W_K and for W_V.
std::size_t attention_floats(std::size_t B, std::size_t H, std::size_t R, std::size_t S,
                             std::size_t C, bool self) {
    const std::size_t linears = 2 * B * R * C + (self ? 0 : 2 * B * S * C);  // W_Q, W_O; W_K, W_V
    const std::size_t heads = B * R * C + 2 * B * S * C;                     // q, k, v
    const std::size_t weights = 3 * B * H * R * S;                           // p, p̃, dropout mask
    return linears + heads + weights;
}
// A pre-norm sublayer connection's own share over R rows: the norm and the dropout mask.
std::size_t sublayer_floats(std::size_t R, std::size_t C) {
    return R * C + 2 * R + R * C;
}
std::size_t feed_forward_floats(std::size_t R, std::size_t C, std::size_t F) {
    return R * C + 3 * R * F;
}
}  // namespace

std::size_t activation_bytes(const ModelConfig& config, std::size_t B, std::size_t M,
                             std::size_t L) {
    const std::size_t C = config.d_model, F = config.d_ff, H = config.h, N = config.N;
    const std::size_t BM = B * M, BL = B * L;
    std::size_t floats = 0, bools = 0, ids = 0;
    // Embeddings: the ids, and the positional encoding's dropout mask.
    ids += BM + BL;
    floats += BM * C + BL * C;
    for (std::size_t i = 0; i < N; ++i) {
        // Encoder layer: self-attention over the source, feed-forward.
        floats += 2 * sublayer_floats(BM, C) + attention_floats(B, H, M, M, C, true) +
                  feed_forward_floats(BM, C, F);
        bools += B * M;  // the [B, 1, M] mask, copied
        // Decoder layer: masked self-attention, cross-attention over the memory, feed-forward.
        floats += 3 * sublayer_floats(BL, C) + attention_floats(B, H, L, L, C, true) +
                  attention_floats(B, H, L, M, C, false) + feed_forward_floats(BL, C, F);
        bools += B * L * L + B * M;
    }
    // The two final norms.
    floats += BM * C + 2 * BM + BL * C + 2 * BL;
    return 4 * floats + 8 * ids + bools;
}

}  // namespace tfm::exercises
