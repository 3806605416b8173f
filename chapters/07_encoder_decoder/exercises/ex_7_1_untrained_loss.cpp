// Exercise 7.1 (experiment) — how wrong is an untrained model?
//
// A model that knows nothing should spread its probability evenly over the vocabulary,
// and its loss should then be log |V|. Measure it: build a model, feed it random
// sentences, and compute the cross-entropy of each next token under the generator's
// log-probabilities, together with the variance of the logits. Is the loss log |V|?
// Above or below? The logits' variance is the clue: where does it come from (the final
// norm, the generator's Xavier initialisation), and how does it change with C and |V|?
//
// Test it with:  scripts/exercises 7.1
#include <stdexcept>

#include "03_attention/masks.hpp"
#include "07_encoder_decoder/generator.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

UntrainedLoss untrained_loss(const ModelConfig& config, std::uint64_t seed) {
    // TODO(ex 7.1): the model, random sentences, forward; logits, log-probabilities, loss.
    throw std::logic_error("not implemented: exercise 7.1");
}

}  // namespace tfm::exercises
