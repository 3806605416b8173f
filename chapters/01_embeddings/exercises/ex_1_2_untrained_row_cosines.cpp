// Exercise 1.2 (experiment) — how different are the vectors of an untrained table?
//
// Before training, every token's vector is random. Are two different tokens' vectors
// then similar, opposite, or unrelated? Measure the cosine of the angle between every
// pair of rows of a fresh tfm::Embeddings table, for a few widths C. Guess first: how does
// the typical |cos| change when C grows four times? And the worst pair among thousands?
// Then think about chapter 03, where attention compares tokens by their dot products.
//
// Test it with:  scripts/exercises 1.2
#include <stdexcept>

#include "01_embeddings/embeddings.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

RowCosines untrained_row_cosines(std::size_t V, std::size_t C, Rng& rng) {
    // TODO(ex 1.2): build the table; |cos| of every pair of distinct rows; mean and maximum.
    throw std::logic_error("not implemented: exercise 1.2");
}

}  // namespace tfm::exercises
