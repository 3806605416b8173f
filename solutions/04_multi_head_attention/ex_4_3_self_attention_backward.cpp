// Solution to exercise 4.3 — the input gradient of multi-head self-attention.
#include "04_multi_head_attention/exercises/exercises.hpp"

#include "00_tensors/random.hpp"
#include "03_attention/attention.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"

namespace tfm::exercises {

xt::xtensor<float, 3> self_attention_input_gradient(MultiHeadedAttention& mha,
                                                    const xt::xtensor<float, 3>& x_BLC,
                                                    const xt::xtensor<float, 3>& dout_BLC) {
    const std::size_t H = mha.heads();
    // Forward ended with merge → W_O; backward starts with W_O's backward, then the
    // merge's backward, which is a split.
    const xt::xtensor<float, 4> dcontext_BHLK = split_heads(mha.linears[3].backward(dout_BLC), H);
    // The module's attention is private, so run the same heads through one of our own,
    // which keeps what its backward needs. (Running linears 0–2 on x again caches the
    // same x they cached in forward.)
    Rng rng(0);
    ScaledDotProductAttention attention(0.0f, rng);
    attention.forward(split_heads(mha.linears[0].forward(x_BLC), H),
                      split_heads(mha.linears[1].forward(x_BLC), H),
                      split_heads(mha.linears[2].forward(x_BLC), H));
    const AttentionGrads d = attention.backward(dcontext_BHLK);
    // Each role's gradient back through its split (a merge) and its projection; x played
    // all three roles, so its gradient is the sum.
    xt::xtensor<float, 3> dx_BLC = mha.linears[0].backward(merge_heads(d.dq_BHLK));
    dx_BLC += mha.linears[1].backward(merge_heads(d.dk_BHMK));
    dx_BLC += mha.linears[2].backward(merge_heads(d.dv_BHMK));
    return dx_BLC;
}

}  // namespace tfm::exercises
