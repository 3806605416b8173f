// Exercise 9.2 (derivation) — which sources must greedy decoding copy?
//
// Training feeds the decoder the right target at once (teacher forcing) and scores every
// position in one pass; decoding feeds it its own outputs, one step at a time. Those are
// different computations, but with the causal mask they meet: prove on paper that if,
// under teacher forcing, the label is the most probable token at every position, greedy
// decoding reproduces the target exactly — and that the converse holds too. Then derive a
// bound on the per-token loss that guarantees a copy. Code both tests on one teacher-
// forced pass; the test decodes and checks your claims source by source.
//
// Test it with:  scripts/exercises 9.2
#include <stdexcept>

#include "03_attention/masks.hpp"
#include "07_encoder_decoder/generator.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

CopyCertificate certify_copies(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL) {
    // TODO(ex 9.2): one teacher-forced forward; log-probabilities; both tests per row.
    throw std::logic_error("not implemented: exercise 9.2");
}

}  // namespace tfm::exercises
