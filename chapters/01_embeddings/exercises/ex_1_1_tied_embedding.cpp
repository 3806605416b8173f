// Exercise 1.1 (derivation) — the gradient of an embedding table used twice.
//
// The paper (§3.4) shares one matrix between the embedding and the output projection
// that turns the decoder's vectors into scores over the vocabulary. Here is the smallest
// such model: the tokens are looked up and scaled by √C, and the result is scored
// against every row of the same table, logits = x · Eᵀ. Derive ∂L/∂E on paper first.
// The chapter's scatter-add is one of the paths; which others are there? Check your
// formula on one entry E[u, c] where u is both an input token and a scored row.
//
// Test it with:  scripts/exercises 1.1
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<2> tied_embedding_gradient(const xt::xtensor<std::int64_t, 1>& ids_L, const Tensor<2>& E_VC,
                                  const Tensor<2>& dlogits_LV) {
    // TODO(ex 1.1): check ids and shapes; then add up every path from E to the logits.
    throw std::logic_error("not implemented: exercise 1.1");
}

}  // namespace tfm::exercises
