// decoding.cpp — batches of sentences through a search, and the attention maps.
#include "decoding.hpp"

#include <algorithm>
#include <memory>
#include <numeric>

#include <xtensor/xadapt.hpp>

#include <xtensor/xview.hpp>

#include "03_attention/masks.hpp"

namespace tfm {

std::vector<std::string> token_strings(const TextCodec& codec,
                                       const std::vector<std::int64_t>& ids) {
    std::vector<std::string> out;
    for (std::int64_t id : ids) out.push_back(codec.token_text(id));
    return out;
}

//! [decode sentences]
std::vector<Hypothesis> decode_sentences(EncoderDecoder& model,
                                         const std::vector<std::vector<std::int64_t>>& sources,
                                         const DecodeOptions& options) {
    if (options.beam == 0) throw std::invalid_argument("decode: the beam size must be at least 1");
    // Sentences of similar length decode together; a batch holds at most batch_tokens
    // padded source tokens, divided by the beam (every sentence becomes `beam` rows).
    std::vector<std::size_t> order(sources.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return sources[a].size() < sources[b].size();
    });
    const std::size_t budget = std::max<std::size_t>(1, options.batch_tokens / options.beam);
    std::vector<Hypothesis> results(sources.size());
    for (std::size_t first = 0; first < order.size();) {
        std::size_t last = first + 1;
        while (last < order.size() &&
               (last - first + 1) * (sources[order[last]].size() + 2) <= budget &&
               (options.batch_sentences == 0 || last - first < options.batch_sentences)) {
            ++last;
        }
        std::vector<std::vector<std::int64_t>> batch;
        for (std::size_t i = first; i < last; ++i) batch.push_back(sources[order[i]]);
        const std::vector<Hypothesis> found = decode_batch(model, batch, options);
        for (std::size_t i = first; i < last; ++i) results[order[i]] = found[i - first];
        first = last;
    }
    return results;
}

std::vector<Hypothesis> decode_batch(EncoderDecoder& model,
                                     const std::vector<std::vector<std::int64_t>>& sources,
                                     const DecodeOptions& options, SearchTrace* trace) {
    model.train(false);
    if (options.beam == 0) throw std::invalid_argument("decode: the beam size must be at least 1");
    SearchLimits limits;
    limits.bos = kBos;
    limits.eos = kEos;
    limits.extra = options.extra;
    // The sources with <s> and </s>, padded to the longest: [S, M].
    const std::size_t S = sources.size();
    std::size_t M = 2;
    for (const auto& ids : sources) M = std::max(M, ids.size() + 2);
    xt::xtensor<std::int64_t, 2> src_SM = xt::xtensor<std::int64_t, 2>::from_shape({S, M});
    src_SM.fill(kPad);
    std::vector<std::size_t> lengths(S);
    for (std::size_t s = 0; s < S; ++s) {
        src_SM(s, 0) = kBos;
        std::copy(sources[s].begin(), sources[s].end(), &src_SM(s, 1));
        src_SM(s, sources[s].size() + 1) = kEos;
        lengths[s] = sources[s].size();
    }
    std::unique_ptr<StepDecoder> decoder;
    if (options.cache) {
        decoder = std::make_unique<CachedDecoder>(model, src_SM, kPad, M + options.extra + 1);
    } else {
        decoder = std::make_unique<RecomputingDecoder>(model, src_SM, kPad);
    }
    return options.beam == 1
               ? greedy_search(*decoder, lengths, limits, options.compact, trace)
               : beam_search(*decoder, lengths, options.beam, options.alpha, limits, trace);
}
//! [decode sentences]

std::vector<std::string> translate_with(Translator& translator,
                                        const std::vector<std::string>& sentences,
                                        const DecodeOptions& options) {
    std::vector<std::vector<std::int64_t>> sources;
    for (const std::string& s : sentences) sources.push_back(translator.codecs.src->encode(s));
    std::vector<std::string> out;
    for (const Hypothesis& h : decode_sentences(translator.model, sources, options)) {
        out.push_back(translator.codecs.tgt->decode(h.tokens));
    }
    return out;
}

//! [attention maps]
AttentionMaps attention_maps(Translator& translator, const std::string& sentence) {
    const std::vector<std::int64_t> src = translator.codecs.src->encode(sentence);
    DecodeOptions greedy;
    const std::vector<std::int64_t> out =
        decode_sentences(translator.model, {src}, greedy)[0].tokens;
    return attention_maps(translator, src, out);
}

AttentionMaps attention_maps(Translator& translator, const std::vector<std::int64_t>& source,
                             const std::vector<std::int64_t>& output) {
    EncoderDecoder& model = translator.model;
    model.train(false);
    std::vector<std::int64_t> src = source;
    src.insert(src.begin(), kBos);
    src.push_back(kEos);
    std::vector<std::int64_t> tgt = output;
    tgt.insert(tgt.begin(), kBos);  // what the decoder reads: <s> and the output
    AttentionMaps maps;
    maps.source_tokens = token_strings(*translator.codecs.src, src);
    maps.target_tokens = token_strings(*translator.codecs.tgt, tgt);
    // One forward pass over the pair; every attention module keeps its last weights.
    const xt::xtensor<std::int64_t, 2> src_1M = xt::adapt(src, {std::size_t(1), src.size()});
    const xt::xtensor<std::int64_t, 2> tgt_1L = xt::adapt(tgt, {std::size_t(1), tgt.size()});
    const Tensor<3> out_1LC =
        model.forward(src_1M, tgt_1L, padding_mask(src_1M, kPad), subsequent_mask(tgt.size()));
    maps.next_log_probs = xt::view(model.generator.forward(out_1LC), 0);
    auto heads = [](const Tensor<4>& w_1HLM) { return Tensor<3>(xt::view(w_1HLM, 0)); };
    for (EncoderLayer& layer : model.encoder_layers)
        maps.encoder_self.push_back(heads(layer.self_attn.attention_weights()));
    for (DecoderLayer& layer : model.decoder_layers) {
        maps.decoder_self.push_back(heads(layer.self_attn.attention_weights()));
        maps.decoder_cross.push_back(heads(layer.src_attn.attention_weights()));
    }
    return maps;
}
//! [attention maps]

}  // namespace tfm
