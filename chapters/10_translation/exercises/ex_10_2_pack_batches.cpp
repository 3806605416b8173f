// Exercise 10.2 — packing sorted sentences into token-budget batches.
//
// A batch costs as much as a rectangle: sentences × the longest sentence in it. With the
// sentences already sorted by length, cut them into consecutive batches that keep that
// rectangle within the budget, so that the batches are as full as they can be.
//
// Test it with:  scripts/exercises 10.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::vector<std::vector<std::size_t>> pack_by_budget(const std::vector<std::size_t>& lengths,
                                                     std::size_t budget) {
    // TODO(ex 10.2): grow the current batch while the rectangle still fits; start a new one
    // otherwise.
    throw std::logic_error("not implemented: exercise 10.2");
}

}  // namespace tfm::exercises
