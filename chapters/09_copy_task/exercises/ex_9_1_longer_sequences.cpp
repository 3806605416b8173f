// Exercise 9.1 (experiment) — can a copy model copy sequences longer than any it saw?
//
// The chapter's model learns to copy sequences of one length. The sinusoids are defined
// for every position, and the paper hoped they might let a model handle lengths it never
// saw. Measure it: give a trained copy model sources of its training length and longer
// ones, decode them greedily, and count what comes out right — whole sequences, and
// position by position. Predict first: does it fail everywhere on a longer sequence, or
// only somewhere? Where?
//
// Test it with:  scripts/exercises 9.1
#include <stdexcept>

#include "03_attention/masks.hpp"
#include "09_copy_task/copy_task.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

std::vector<LengthAccuracy> accuracy_by_length(EncoderDecoder& model,
                                               const std::vector<std::size_t>& lengths,
                                               std::size_t count, Rng& rng) {
    // TODO(ex 9.1): per length, draw a batch, decode it, compare with the sources.
    throw std::logic_error("not implemented: exercise 9.1");
}

}  // namespace tfm::exercises
