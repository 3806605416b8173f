// sampling.cpp — the decoder-only cache, the draw, and generation.
#include "sampling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include <xtensor/xview.hpp>

#include "11_decoding/kv_cache.hpp"

namespace tfm {

GPTCache::GPTCache(GPT& model, std::size_t rows)
    : LayerKVCache("GPTCache", model.config().n_layer, rows, model.config().n_head,
                   model.config().block_size, model.config().n_embd / model.config().n_head),
      model_(model) {}

std::unique_ptr<TokenCache> GPT::make_cache(std::size_t rows) {
    return std::make_unique<GPTCache>(*this, rows);
}

//! [gpt cached step]
Tensor<2> GPTCache::step(const std::vector<std::int64_t>& tokens_R) {
    const GPTConfig& c = model_.config();
    const std::size_t R = rows_, C = c.n_embd, t = length_;
    const xt::xtensor<std::int64_t, 2> ids_R1 = step_ids(tokens_R);
    Tensor<3> x_R1C = model_.wte.forward(ids_R1);
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t ch = 0; ch < C; ++ch) x_R1C(r, 0, ch) += model_.wpe.value(t, ch);
    for (std::size_t l = 0; l < model_.blocks.size(); ++l) {
        GPTBlock& block = model_.blocks[l];
        // Causal self-attention over the cache: the new key and value join it.
        const Tensor<3> a_R1C = block.ln_1.forward(x_R1C);
        const Tensor<3> q_R1C = block.attn.linears[0].forward(a_R1C);
        const Tensor<3> k_R1C = block.attn.linears[1].forward(a_R1C);
        const Tensor<3> v_R1C = block.attn.linears[2].forward(a_R1C);
        append_position(k_[l], k_R1C, t);
        append_position(v_[l], v_R1C, t);
        x_R1C += block.attn.linears[3].forward(attend_one(q_R1C, k_[l], v_[l], t + 1, nullptr));
        // The feed-forward branch on the one new position.
        x_R1C += block.c_proj.forward(gelu(block.c_fc.forward(block.ln_2.forward(x_R1C))));
    }
    ++length_;
    const Tensor<3> logits_R1V = model_.lm_head.forward(model_.ln_f.forward(x_R1C));
    return Tensor<2>(xt::view(logits_R1V, xt::all(), 0, xt::all()));
}
//! [gpt cached step]

//! [sample token]
std::int64_t sample_token(const float* logits, std::size_t V, double temperature, std::size_t top_k,
                          Rng& rng) {
    if (V == 0) throw std::invalid_argument("sample_token: no logits");
    if (!(temperature >= 0.0))
        throw std::invalid_argument("sample_token: the temperature must be at least 0");
    if (temperature == 0.0)
        return std::int64_t(std::max_element(logits, logits + V) - logits);  // greedy
    // The k-th largest logit: anything below it cannot be drawn (as nanoGPT, ties with it
    // stay in).
    float threshold = -std::numeric_limits<float>::infinity();
    if (top_k > 0 && top_k < V) {
        std::vector<float> sorted(logits, logits + V);
        std::nth_element(sorted.begin(), sorted.begin() + std::ptrdiff_t(top_k - 1), sorted.end(),
                         std::greater<float>());
        threshold = sorted[top_k - 1];
    }
    const float max = *std::max_element(logits, logits + V);
    std::vector<double> p(V);
    double total = 0.0;
    for (std::size_t v = 0; v < V; ++v) {
        p[v] = logits[v] < threshold ? 0.0 : std::exp((double(logits[v]) - max) / temperature);
        total += p[v];
    }
    const double u = double(rng.uniform()) * total;
    double cumulative = 0.0;
    std::size_t last = 0;
    for (std::size_t v = 0; v < V; ++v) {
        if (p[v] == 0.0) continue;
        cumulative += p[v];
        last = v;
        if (u < cumulative) return std::int64_t(v);
    }
    return std::int64_t(last);  // u within rounding of the total: the last allowed id
}
//! [sample token]

//! [generate]
std::vector<std::int64_t> generate(NextTokenModel& model, const std::vector<std::int64_t>& prompt,
                                   std::size_t count, const SampleOptions& options, Rng& rng) {
    if (prompt.empty())
        throw std::invalid_argument("generate: the prompt needs at least one token");
    model.train(false);
    const std::size_t block = model.context(), V = model.vocab();
    std::vector<std::int64_t> text = prompt, out;
    // The context is text[start, end): once it fills the model's positions, it restarts
    // from its last block/2 tokens (at least one: with block 1, the last token alone).
    std::size_t start = text.size() > block ? text.size() - block : 0;
    const std::unique_ptr<TokenCache> cache = model.make_cache(1);
    std::size_t fed = start;  // tokens of text already in the cache
    Tensor<2> logits_1V;
    while (out.size() < count) {
        if (text.size() - start > block) {
            start = text.size() - std::max<std::size_t>(1, block / 2);
            cache->reset();
            fed = start;
        }
        if (options.cache) {
            for (; fed < text.size(); ++fed) logits_1V = cache->step({text[fed]});
        } else {
            const std::size_t L = text.size() - start;
            xt::xtensor<std::int64_t, 2> ids_1L =
                xt::xtensor<std::int64_t, 2>::from_shape({std::size_t(1), L});
            std::copy(text.begin() + std::ptrdiff_t(start), text.end(), ids_1L.begin());
            const Tensor<3> all_1LV = model.forward(ids_1L);
            logits_1V = xt::view(all_1LV, xt::all(), L - 1, xt::all());
        }
        const std::int64_t next =
            sample_token(logits_1V.data(), V, options.temperature, options.top_k, rng);
        text.push_back(next);
        out.push_back(next);
    }
    return out;
}
//! [generate]

}  // namespace tfm
