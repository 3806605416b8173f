// Exercise 1.3 (experiment) — how much of the table does one batch train?
//
// The embedding's backward is a scatter-add: only the rows of tokens that occur in the
// batch receive a gradient. Real text is skewed: a few words are everywhere, most are
// rare (Zipf's law). Measure what fraction of a table's rows one batch updates: draw the
// batch from a Zipf distribution, run the chapter's Embeddings forward and backward, and
// count the rows whose gradient is not zero. Before you run the test: for a vocabulary of
// 5,000 and a batch of 2,000 tokens, uniform or Zipfian, what would you expect?
//
// Test it with:  scripts/exercises 1.3
#include <stdexcept>

#include "01_embeddings/embeddings.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

double fraction_of_rows_updated(std::size_t V, std::size_t C, std::size_t n_tokens, double s,
                                Rng& rng) {
    // TODO(ex 1.3): a Zipf sampler; a [1, n_tokens] batch; forward, backward; count rows.
    throw std::logic_error("not implemented: exercise 1.3");
}

}  // namespace tfm::exercises
