// Exercise 2.1 (derivation) — how similar are the encodings of two positions?
//
// Attention compares positions through dot products, so the dot product of two
// positions' encodings is what the model sees of their distance. Show on paper that
// PE_p · PE_{p+k} does not depend on p at all — the chapter's rotation is a good start —
// and find its closed form in k and C. Then code the formula, not the table: the test
// compares it with the table's own dot products. Afterwards look at a few values: is the
// similarity largest at k = 0? Does it fall steadily as k grows?
//
// Test it with:  scripts/exercises 2.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

double encoding_dot_product(long k, std::size_t C) {
    // TODO(ex 2.1): reject odd C; then the closed form, summed over the C/2 frequencies.
    throw std::logic_error("not implemented: exercise 2.1");
}

}  // namespace tfm::exercises
