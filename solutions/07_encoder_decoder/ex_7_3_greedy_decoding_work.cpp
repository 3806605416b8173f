// Solution to exercise 7.3 — the work of greedy decoding.
//
// In multiply-adds, per layer: an encoder layer over B·M tokens does 4C² (projections)
// + 2MC (scores and weighted values) + 2CF per token. Decoding step t (t = 1 … max_len − 1)
// runs every decoder layer on the t tokens of the prefix: self-attention 4C² + 2tC per
// token; cross-attention 2C² + 2MC per token for its queries and output, and 2C² per
// *source* token for the keys and values of the memory — recomputed at every step,
// though the memory never changes; the network 2CF per token. The generator scores the
// last position only: C·|V| per sentence. Summed over the steps, Σt = n(n − 1)/2 and
// Σt² = (n − 1)n(2n − 1)/6 with n = max_len: the work grows as n² (and the self-attention
// part as n³), where a decoder that kept its keys and values (chapter 11) does each
// token's work once.
#include "07_encoder_decoder/exercises/exercises.hpp"

namespace tfm::exercises {

std::uint64_t greedy_decode_flops(const ModelConfig& config, std::size_t B, std::size_t M,
                                  std::size_t max_len) {
    using u64 = std::uint64_t;
    const u64 C = config.d_model, F = config.d_ff, N = config.N, V = config.tgt_vocab;
    u64 macs = N * B * M * (4 * C * C + 2 * M * C + 2 * C * F);  // the encoder, once
    for (u64 t = 1; t < max_len; ++t) {
        const u64 per_layer = B * t * (4 * C * C + 2 * t * C)    // masked self-attention
                              + B * t * (2 * C * C + 2 * M * C)  // cross-attention's queries
                              + B * M * 2 * C * C                // its keys and values, again
                              + B * t * 2 * C * F;               // the feed-forward network
        macs += N * per_layer + B * C * V;                       // and the generator
    }
    return 2 * macs;
}

}  // namespace tfm::exercises
