// Exercise 7.3 (derivation) — the work of greedy decoding.
//
// The chapter's greedy_decode encodes the source once, then calls decode again for every
// new token, on the whole prefix so far. Count the work of its matrix products from the
// shapes: the encoder once; then, at step t, the decoder on a prefix of t tokens, and the
// generator. Read greedy_decode and the decoder layer's forward closely — what does each
// step recompute that did not change since the last one? The test counts the operations
// the program really performs (tfm::sgemm_flops) and compares. How does the total grow
// with max_len?
//
// Test it with:  scripts/exercises 7.3
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::uint64_t greedy_decode_flops(const ModelConfig& config, std::size_t B, std::size_t M,
                                  std::size_t max_len) {
    // TODO(ex 7.3): the encoder's products once; the decoder's at every step; the generator.
    throw std::logic_error("not implemented: exercise 7.3");
}

}  // namespace tfm::exercises
