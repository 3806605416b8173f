// Solution to exercise 7.2 — how many parameters does make_model create?
#include "07_encoder_decoder/exercises/exercises.hpp"

namespace tfm::exercises {

std::size_t count_model_parameters(const ModelConfig& c) {
    const std::size_t C = c.d_model, F = c.d_ff;
    auto linear = [](std::size_t in, std::size_t out) { return in * out + out; };
    const std::size_t attention = 4 * linear(C, C);
    const std::size_t feed_forward = linear(C, F) + linear(F, C);
    const std::size_t norm = 2 * C;
    const std::size_t encoder = c.N * (attention + feed_forward + 2 * norm) + norm;
    const std::size_t decoder = c.N * (2 * attention + feed_forward + 3 * norm) + norm;
    const std::size_t embeddings = (c.src_vocab + c.tgt_vocab) * C;
    return encoder + decoder + embeddings + linear(C, c.tgt_vocab);
}

}  // namespace tfm::exercises
