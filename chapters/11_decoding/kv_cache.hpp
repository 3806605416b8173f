// kv_cache.hpp — the key/value cache of an attention layer (chapter 11).
//
// Decoding one token at a time, a causal self-attention layer computes the new token's
// key and value and keeps them: every later query attends to all the keys so far, and
// nothing about the earlier ones ever changes (the causal mask saw to that). This is
// the whole cache, for any decoder: chapter 11's encoder-decoder (incremental.hpp) and
// chapter 12's language model use these three functions and nothing else of this
// chapter.
//
// A cache holds, for each of R rows (sentences, or sentences × beams) and H heads, M
// positions of K channels: [R, H, M, K], each head's keys one contiguous [M, K] block,
// so that attending over them is a loop over rows of memory. The heads arrive side by
// side in the [R, 1, C] layout W_K produces (C = H·K) and leave the same way for W_O.
//
// A cache may hold fewer heads than there are queries: in grouped-query attention
// (chapter 14) each group of consecutive query heads shares one head of keys and values,
// so attend_one lets every key/value head serve Hq/H query heads.
#pragma once

#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm {

/// Writes one position of a cache: row r's head h — channels h·K … h·K + K − 1 of
/// x_R1C — into cache_RHMK(r, h, position, :).
void append_position(Tensor<4>& cache_RHMK, const Tensor<3>& x_R1C, std::size_t position);

/// One query per row and head against the first m keys and values of a cache:
/// scores = q·kᵀ/√K (−1e9 where the mask, if any, forbids), softmax, and the weighted sum
/// of the values. q_R1C and the result are [R, 1, Hq·K]: the heads side by side, the
/// layout W_O expects. Hq is a multiple of the cache's H: query head h reads key/value
/// head h / (Hq/H) (Hq = H is multi-head attention).
Tensor<3> attend_one(const Tensor<3>& q_R1C, const Tensor<4>& k_RHMK, const Tensor<4>& v_RHMK,
                     std::size_t m, const xt::xtensor<bool, 3>* mask_R1M);

/// The rows `keep` of a cache, copying the first `used` positions of each (a row may be
/// kept more than once: beam search copies the beams it keeps).
Tensor<4> gather_rows(const Tensor<4>& x_RHMK, const std::vector<std::size_t>& keep,
                      std::size_t used);

}  // namespace tfm
