// exercises.hpp — chapter 04's exercises (run `scripts/exercises` from the top).
//
// Exercise 4.1 uses the key's letter G (chapter 00): the number of key/value heads in
// grouped-query attention, each shared by a group of H/G query heads.
#pragma once

#include <cstddef>
#include <cstdint>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"

namespace tfm::exercises {

/// Grouped-query attention's output and the gradients of its inputs (exercise 4.1).
struct GroupedAttentionGrads {
    Tensor<4> out_BHLK;  ///< the output, one [L, K] per query head
    Tensor<4> dq_BHLK;   ///< ∂L/∂q
    Tensor<4> dk_BGMK;   ///< ∂L/∂k, one [M, K] per key/value head
    Tensor<4> dv_BGMK;   ///< ∂L/∂v
};

/// Exercise 4.1 (derivation): grouped-query attention (Ainslie et al., 2023), forward and
/// backward. H query heads share G key/value heads, G dividing H: query head h attends
/// with keys and values k_BGMK[:, g], v_BGMK[:, g] of group g = h / (H/G) — the chapter's
/// scaled dot-product attention otherwise, with mask_BXM as chapter 03 takes it and no
/// dropout. G = H is multi-head attention, G = 1 multi-query attention. Given
/// dout_BHLK = ∂L/∂out, returns the output and the gradients of q, k and v. Throws
/// std::invalid_argument unless G divides H, tfm::ShapeError if the shapes do not fit.
GroupedAttentionGrads grouped_query_attention(const Tensor<4>& q_BHLK, const Tensor<4>& k_BGMK,
                                              const Tensor<4>& v_BGMK,
                                              const xt::xtensor<bool, 3>& mask_BXM,
                                              const Tensor<4>& dout_BHLK);

/// What exercise 4.2 measures.
struct SilencedHead {
    Tensor<4> weights_BHLM;      ///< the attention weights with the head's queries silenced
    double output_change = 0.0;  ///< ‖out_silenced − out‖ / ‖out‖ (Frobenius norms)
};

/// Exercise 4.2 (experiment): what is a head? Runs `mha` as self-attention over x_BLC with
/// mask_BXM twice — as it is, and with the query channels of head `head` silenced: the
/// rows head·K … head·K + K − 1 of W_Q's weight and bias (linears[0]) set to zero — and
/// returns the silenced run's attention weights and how much its output moved. Heads count
/// from 0, and the weight is stored [out, in]: these rows hold the K columns of the page's
/// block W_Q^(head + 1), in its Q = X·W_Q. Leaves the module's parameters as they were.
/// Throws std::out_of_range if head ≥ H.
SilencedHead silence_head_queries(MultiHeadedAttention& mha, const Tensor<3>& x_BLC,
                                  const xt::xtensor<bool, 3>& mask_BXM, std::size_t head);

/// The matrix products' work in one pass of multi-head attention (exercise 4.3).
struct AttentionFlops {
    std::uint64_t forward = 0;   ///< floating-point operations of forward
    std::uint64_t backward = 0;  ///< and of backward
};

/// Exercise 4.3 (derivation): the floating-point operations of the matrix products in one
/// forward and one backward of tfm::MultiHeadedAttention — queries [B, L, C], keys and
/// values [B, M, C], H heads — from the shapes alone, counting 2 per multiply-add as
/// tfm::sgemm_flops() does. Throws std::invalid_argument unless H divides C.
AttentionFlops multi_head_attention_flops(std::size_t B, std::size_t L, std::size_t M,
                                          std::size_t C, std::size_t H);

}  // namespace tfm::exercises
