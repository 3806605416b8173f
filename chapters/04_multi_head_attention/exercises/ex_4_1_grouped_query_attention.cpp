// Exercise 4.1 (derivation) — grouped-query attention, forward and backward.
//
// During decoding a model keeps every layer's keys and values (chapter 11), and with H
// heads that is H of each per token. Grouped-query attention keeps fewer: G key/value
// heads, each shared by H/G query heads. Build its forward and derive its backward. The
// forward is the chapter's attention once every query head has its keys and values; the
// question is what the gradient of a key that several heads read must be.
//
// Test it with:  scripts/exercises 4.1
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "03_attention/attention.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

GroupedAttentionGrads grouped_query_attention(const Tensor<4>& q_BHLK, const Tensor<4>& k_BGMK,
                                              const Tensor<4>& v_BGMK,
                                              const xt::xtensor<bool, 3>& mask_BXM,
                                              const Tensor<4>& dout_BHLK) {
    // TODO(ex 4.1): check G and the shapes; forward; then dq, and dk, dv per group.
    throw std::logic_error("not implemented: exercise 4.1");
}

}  // namespace tfm::exercises
