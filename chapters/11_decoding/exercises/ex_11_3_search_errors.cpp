// Exercise 11.3 (experiment) — better search, shorter translations? Measure it.
//
// Beam search is not exact: a hypothesis whose prefix fell out of the beam is never seen
// again. A *search error* is a result less probable than the model's most probable
// output. Measure, on a small model whose every output can be searched, how many search
// errors greedy search (beam 1) and wider beams make, without a length penalty — and
// how long the outputs they find are.
//
// Predict first: as the beam widens and the errors go, do the translations get longer
// or shorter? What does that say about the most probable output itself?
//
// Test it with:  scripts/exercises 11.3
#include <stdexcept>

#include "11_decoding/decoding.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

std::vector<SearchOutcome> search_errors_by_beam(
    EncoderDecoder& model, const std::vector<std::vector<std::int64_t>>& sources,
    const std::vector<std::size_t>& beams, std::size_t extra) {
    // TODO(ex 11.3): the most probable output of each sentence, by a search that cannot
    // miss it; then each beam's results against it.
    throw std::logic_error("not implemented: exercise 11.3");
}

}  // namespace tfm::exercises
