// Exercise 9.3 (experiment) — without positions, order is invisible.
//
// Attention treats its inputs as a set: chapter 03's tests permute them and the outputs
// permute alike. The positional encoding of chapter 02 is all that tells the model where
// each token sits. Take it away, and what can the decoder still know about the order of
// the source? The test trains two small copy-task models alike, one of them with the
// sinusoids zeroed, and asks your function to measure both: how often they copy, and how
// often a source and its reversal (the start symbol kept first) decode to the same
// output. Write down what you expect for each model before you run it. (A third model,
// which sees only some of the positions, tells a permutation from its inverse: read
// `permutation` the way the header says.)
//
// Test it with:  scripts/exercises 9.3
#include <stdexcept>

#include "03_attention/masks.hpp"
#include "09_copy_task/copy_task.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

OrderMeasurement measure_order(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL,
                               const std::vector<std::size_t>& permutation) {
    // TODO(ex 9.3): check the permutation, build the permuted sources, decode both, count.
    throw std::logic_error("not implemented: exercise 9.3");
}

}  // namespace tfm::exercises
