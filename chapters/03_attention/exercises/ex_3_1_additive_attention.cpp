// Exercise 3.1 (derivation) — additive attention, forward and backward.
//
// Attention did not start with the Transformer. In the RNN translators it grew out of,
// Bahdanau et al. (2015) scored each (query, key) pair with a small network,
// e = w · tanh(W_q q + W_k k), instead of a dot product. Build it for one head, with a
// mask, and derive its backward: the softmax and the weighted values are as in the
// chapter; what is new is the way from the scores back into w, W_q, W_k, q and k.
// Mind what every score shares with the others: q_l feeds a whole row of scores, k_m a
// whole column.
//
// Test it with:  scripts/exercises 3.1
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

AdditiveAttentionGrads additive_attention(const Tensor<2>& q_LK, const Tensor<2>& k_MK,
                                          const Tensor<2>& v_MK, const Tensor<2>& W_q_AK,
                                          const Tensor<2>& W_k_AK, const Tensor<1>& w_A,
                                          const xt::xtensor<bool, 2>& mask_LM,
                                          const Tensor<2>& dout_LK) {
    // TODO(ex 3.1): check shapes; forward (keep what backward needs); then every gradient.
    throw std::logic_error("not implemented: exercise 3.1");
}

}  // namespace tfm::exercises
