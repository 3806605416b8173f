// sampling.hpp — generating text from the language model (chapter 12).
//
// Generation feeds the model its own output: predict a distribution over the next
// character, draw one, append it, repeat. Two knobs shape the draw:
//
// * temperature τ divides the logits before the softmax: τ < 1 sharpens the
//   distribution towards its most likely characters, τ > 1 flattens it; as τ → 0 the
//   draw becomes the argmax — greedy decoding;
// * top-k keeps only the k most likely characters (the others get probability 0), so a
//   long tail of unlikely characters cannot be drawn.
//
// Every step runs on chapter 11's key/value cache in its decoder-only form: there is no
// encoder and no cross-attention, only each block's self-attention cache. The model has
// positions for block_size tokens; once the context is full, it restarts from its last
// block_size/2 tokens (re-read into an emptied cache), and the cache with it. The uncached sampler
// applies the same rule and recomputes the whole context at every step, so the two draw
// the same characters from the same seed. generate() works for any NextTokenModel through
// its make_cache(): chapter 14's model samples with it too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "gpt.hpp"

namespace tfm {

/// The GPT's incremental decoder: one row per sequence, one token per step; per block
/// [R, H, block_size, K] keys and values.
class GPTCache : public LayerKVCache {
public:
    GPTCache(GPT& model, std::size_t rows);
    /// Feeds one token per row at position length(); returns the logits of the next, [R, V].
    Tensor<2> step(const std::vector<std::int64_t>& tokens_R) override;

private:
    GPT& model_;
};

struct SampleOptions {
    double temperature = 1.0;  ///< 0: greedy
    std::size_t top_k = 0;     ///< 0: every token may be drawn
    bool cache = true;         ///< false: recompute the whole context every step
};

/// One draw from logits[0..V): divided by the temperature, the top_k largest kept, the
/// softmax, then the first id whose cumulative probability exceeds a uniform draw.
std::int64_t sample_token(const float* logits, std::size_t V, double temperature, std::size_t top_k,
                          Rng& rng);

/// Continues `prompt` (at least one id) by `count` drawn ids; returns only the new ones.
std::vector<std::int64_t> generate(NextTokenModel& model, const std::vector<std::int64_t>& prompt,
                                   std::size_t count, const SampleOptions& options, Rng& rng);

}  // namespace tfm
