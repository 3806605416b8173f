// incremental.cpp — the cached decoder, and the recomputing one it must agree with.
#include "incremental.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <xtensor/xview.hpp>

#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"
#include "03_attention/attention.hpp"
#include "03_attention/masks.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"

namespace tfm {

EncodedSources encode_sources(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_SM,
                              std::int64_t pad) {
    model.train(false);
    EncodedSources e;
    e.mask_S1M = padding_mask(src_SM, pad);
    e.memory_SMC = model.encode(src_SM, e.mask_S1M);
    return e;
}

namespace {

void check_tokens(const std::vector<std::int64_t>& tokens, std::size_t rows, std::size_t vocab) {
    if (tokens.size() != rows) {
        throw ShapeError("step: " + std::to_string(tokens.size()) + " tokens for " +
                         std::to_string(rows) + " rows");
    }
    for (std::int64_t t : tokens) {
        if (t < 0 || std::size_t(t) >= vocab) {
            throw std::out_of_range("step: token id " + std::to_string(t) +
                                    " is outside the vocabulary [0, " + std::to_string(vocab) +
                                    ")");
        }
    }
}

}  // namespace

// ---- the cached decoder -----------------------------------------------------------------

CachedDecoder::CachedDecoder(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_SM,
                             std::int64_t pad, std::size_t capacity)
    : model_(model),
      heads_(model.config().h),
      head_size_(model.config().d_model / model.config().h),
      memory_length_(src_SM.shape()[1]),
      capacity_(std::max<std::size_t>(1, capacity)) {
    //! [cache setup]
    // The encoder runs once; each layer's cross-attention keys and values are projected
    // from the memory once, [S, M, C] → [S, H, M, K].
    const EncodedSources e = encode_sources(model, src_SM, pad);
    mask_R1M_ = e.mask_S1M;
    const std::size_t S = src_SM.shape()[0];
    for (std::size_t s = 0; s < S; ++s) sources_.push_back(s);
    for (DecoderLayer& layer : model.decoder_layers) {
        memory_k_.push_back(split_heads(layer.src_attn.linears[1].forward(e.memory_SMC), heads_));
        memory_v_.push_back(split_heads(layer.src_attn.linears[2].forward(e.memory_SMC), heads_));
        self_k_.push_back(xt::zeros<float>({S, heads_, capacity_, head_size_}));
        self_v_.push_back(xt::zeros<float>({S, heads_, capacity_, head_size_}));
    }
    //! [cache setup]
}

void CachedDecoder::grow(std::size_t capacity) {
    std::vector<std::size_t> all(rows());
    for (std::size_t r = 0; r < all.size(); ++r) all[r] = r;
    for (auto* caches : {&self_k_, &self_v_}) {
        for (auto& c : *caches) {
            Tensor<4> bigger = xt::zeros<float>({rows(), heads_, capacity, head_size_});
            for (std::size_t r = 0; r < rows(); ++r)
                for (std::size_t h = 0; h < heads_; ++h)
                    std::copy_n(&c(r, h, 0, 0), length_ * head_size_, &bigger(r, h, 0, 0));
            c = std::move(bigger);
        }
    }
    capacity_ = capacity;
}

//! [cached step]
Tensor<2> CachedDecoder::step(const std::vector<std::int64_t>& tokens_R) {
    const std::size_t R = rows(), C = model_.config().d_model, t = length_;
    check_tokens(tokens_R, R, model_.config().tgt_vocab);
    if (t + 1 > model_.tgt_embed.position.max_len()) {
        throw std::length_error("step: position " + std::to_string(t) +
                                " is past the positional table");
    }
    if (t + 1 > capacity_) grow(2 * capacity_);
    // The new token's embedding, plus the positional encoding of its position t.
    xt::xtensor<std::int64_t, 2> ids_R1 =
        xt::xtensor<std::int64_t, 2>::from_shape({R, std::size_t(1)});
    std::copy(tokens_R.begin(), tokens_R.end(), ids_R1.begin());
    Tensor<3> x_R1C = model_.tgt_embed.embeddings.forward(ids_R1);
    const float* pe_C = model_.tgt_embed.position.table().data() + t * C;
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t c = 0; c < C; ++c) x_R1C(r, 0, c) += pe_C[c];
    for (std::size_t l = 0; l < model_.decoder_layers.size(); ++l) {
        DecoderLayer& layer = model_.decoder_layers[l];
        // 1. Self-attention: the new key and value join the cache; the new query attends
        //    to all t + 1 cached positions — exactly what the causal mask allowed it.
        Tensor<3> n_R1C = layer.sublayer[0].norm.forward(x_R1C);
        const Tensor<3> q_R1C = layer.self_attn.linears[0].forward(n_R1C);
        const Tensor<3> k_R1C = layer.self_attn.linears[1].forward(n_R1C);
        const Tensor<3> v_R1C = layer.self_attn.linears[2].forward(n_R1C);
        append_position(self_k_[l], k_R1C, t);
        append_position(self_v_[l], v_R1C, t);
        x_R1C += layer.self_attn.linears[3].forward(
            attend_one(q_R1C, self_k_[l], self_v_[l], t + 1, nullptr));
        // 2. Cross-attention over the memory's keys and values, projected once.
        n_R1C = layer.sublayer[1].norm.forward(x_R1C);
        const Tensor<3> qm_R1C = layer.src_attn.linears[0].forward(n_R1C);
        x_R1C += layer.src_attn.linears[3].forward(
            attend_one(qm_R1C, memory_k_[l], memory_v_[l], memory_length_, &mask_R1M_));
        // 3. The feed-forward network, on the one new position.
        n_R1C = layer.sublayer[2].norm.forward(x_R1C);
        x_R1C += layer.feed_forward.forward(n_R1C);
    }
    ++length_;
    const Tensor<3> logp_R1V = model_.generator.forward(model_.decoder_norm.forward(x_R1C));
    return Tensor<2>(xt::view(logp_R1V, xt::all(), 0, xt::all()));
}
//! [cached step]

void CachedDecoder::select(const std::vector<std::size_t>& keep) {
    for (std::size_t r : keep) {
        if (r >= rows())
            throw std::out_of_range("select: row " + std::to_string(r) + " of " +
                                    std::to_string(rows()));
    }
    for (std::size_t l = 0; l < self_k_.size(); ++l) {
        self_k_[l] = gather_rows(self_k_[l], keep, length_);  // only the filled part is copied
        self_v_[l] = gather_rows(self_v_[l], keep, length_);
        memory_k_[l] = gather_rows(memory_k_[l], keep, memory_length_);
        memory_v_[l] = gather_rows(memory_v_[l], keep, memory_length_);
    }
    xt::xtensor<bool, 3> mask =
        xt::xtensor<bool, 3>::from_shape({keep.size(), std::size_t(1), memory_length_});
    std::vector<std::size_t> sources;
    for (std::size_t i = 0; i < keep.size(); ++i) {
        std::copy_n(&mask_R1M_(keep[i], 0, 0), memory_length_, &mask(i, 0, 0));
        sources.push_back(sources_[keep[i]]);
    }
    mask_R1M_ = std::move(mask);
    sources_ = std::move(sources);
}

std::size_t CachedDecoder::self_cache_bytes() const {
    return rows() * self_k_.size() * 2 * length_ * model_.config().d_model * sizeof(float);
}

std::size_t CachedDecoder::memory_cache_bytes() const {
    return rows() * memory_k_.size() * 2 * memory_length_ * model_.config().d_model * sizeof(float);
}

// ---- the recomputing decoder -------------------------------------------------------------

RecomputingDecoder::RecomputingDecoder(EncoderDecoder& model,
                                       const xt::xtensor<std::int64_t, 2>& src_SM, std::int64_t pad)
    : model_(model), encoded_(encode_sources(model, src_SM, pad)), history_(src_SM.shape()[0]) {
    for (std::size_t s = 0; s < src_SM.shape()[0]; ++s) sources_.push_back(s);
}

Tensor<2> RecomputingDecoder::step(const std::vector<std::int64_t>& tokens_R) {
    const std::size_t R = rows();
    check_tokens(tokens_R, R, model_.config().tgt_vocab);
    for (std::size_t r = 0; r < R; ++r) history_[r].push_back(tokens_R[r]);
    ++length_;
    const std::size_t L = length_, M = encoded_.memory_SMC.shape()[1], C = model_.config().d_model;
    // The whole prefix of every row, and each row's memory, through the whole decoder.
    xt::xtensor<std::int64_t, 2> ys_RL = xt::xtensor<std::int64_t, 2>::from_shape({R, L});
    Tensor<3> memory_RMC = Tensor<3>::from_shape({R, M, C});
    xt::xtensor<bool, 3> mask_R1M = xt::xtensor<bool, 3>::from_shape({R, std::size_t(1), M});
    for (std::size_t r = 0; r < R; ++r) {
        std::copy(history_[r].begin(), history_[r].end(), &ys_RL(r, 0));
        std::copy_n(&encoded_.memory_SMC(sources_[r], 0, 0), M * C, &memory_RMC(r, 0, 0));
        std::copy_n(&encoded_.mask_S1M(sources_[r], 0, 0), M, &mask_R1M(r, 0, 0));
    }
    const Tensor<3> out_RLC = model_.decode(memory_RMC, mask_R1M, ys_RL, subsequent_mask(L));
    const Tensor<3> last_R1C = xt::view(out_RLC, xt::all(), xt::range(L - 1, L), xt::all());
    const Tensor<3> logp_R1V = model_.generator.forward(last_R1C);
    return Tensor<2>(xt::view(logp_R1V, xt::all(), 0, xt::all()));
}

void RecomputingDecoder::select(const std::vector<std::size_t>& keep) {
    std::vector<std::vector<std::int64_t>> history;
    std::vector<std::size_t> sources;
    for (std::size_t r : keep) {
        if (r >= rows())
            throw std::out_of_range("select: row " + std::to_string(r) + " of " +
                                    std::to_string(rows()));
        history.push_back(history_[r]);
        sources.push_back(sources_[r]);
    }
    history_ = std::move(history);
    sources_ = std::move(sources);
}

}  // namespace tfm
