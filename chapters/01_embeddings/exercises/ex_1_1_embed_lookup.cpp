// Exercise 1.1 — the embedding lookup, scaled by √C.
//
// Each token id selects one row of the table; the Annotated Transformer multiplies it
// by √C (the chapter explains why). Reject ids outside [0, V) with std::out_of_range.
//
// Test it with:  scripts/exercises 1.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<3> embed_lookup(const Tensor<2>& lut_VC, const xt::xtensor<std::int64_t, 2>& ids_BL) {
    // TODO(ex 1.1): check every id, then copy row ids[b, l] of the table, times √C.
    throw std::logic_error("not implemented: exercise 1.1");
}

}  // namespace tfm::exercises
