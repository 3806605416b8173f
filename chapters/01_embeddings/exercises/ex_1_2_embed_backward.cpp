// Exercise 1.2 — the embedding backward: a scatter-add.
//
// Forward copied row ids[b, l] of the table (times √C) to position [b, l]. So the
// gradient flows back the same way: position [b, l]'s gradient, times √C, is *added*
// to row ids[b, l] of the table's gradient. Add, never assign: a token that appears
// twice must receive both contributions.
//
// Test it with:  scripts/exercises 1.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

void embed_backward(const xt::xtensor<std::int64_t, 2>& ids_BL, const Tensor<3>& dx_BLC,
                    Tensor<2>& dlut_VC) {
    // TODO(ex 1.2): for every position, dlut_VC[ids[b, l], :] += √C · dx_BLC[b, l, :].
    throw std::logic_error("not implemented: exercise 1.2");
}

}  // namespace tfm::exercises
