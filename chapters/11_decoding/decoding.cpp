// decoding.cpp — batches of sentences through a search, and the attention maps.
#include "decoding.hpp"

#include <algorithm>
#include <memory>

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
    // Sentences of similar length decode together (chapter 10's batching); a batch holds
    // at most batch_tokens padded source tokens, divided by the beam (every sentence
    // becomes `beam` rows).
    const std::size_t budget = std::max<std::size_t>(1, options.batch_tokens / options.beam);
    std::vector<Hypothesis> results(sources.size());
    for (const SourceBatch& batch :
         length_sorted_batches(sources, budget, options.batch_sentences)) {
        const std::vector<Hypothesis> found = decode_batch(model, batch, options);
        for (std::size_t b = 0; b < found.size(); ++b) results[batch.sentences[b]] = found[b];
    }
    return results;
}

std::vector<Hypothesis> decode_batch(EncoderDecoder& model, const SourceBatch& batch,
                                     const DecodeOptions& options, SearchTrace* trace) {
    model.train(false);
    if (options.beam == 0) throw std::invalid_argument("decode: the beam size must be at least 1");
    SearchLimits limits;
    limits.bos = kBos;
    limits.eos = kEos;
    limits.extra = options.extra;
    const std::size_t M = batch.src_BM.shape()[1];
    std::unique_ptr<StepDecoder> decoder;
    if (options.cache) {
        decoder = std::make_unique<CachedDecoder>(model, batch.src_BM, kPad, M + options.extra + 1);
    } else {
        decoder = std::make_unique<RecomputingDecoder>(model, batch.src_BM, kPad);
    }
    return options.beam == 1
               ? greedy_search(*decoder, batch.lengths, limits, options.compact, trace)
               : beam_search(*decoder, batch.lengths, options.beam, options.alpha, limits, trace);
}
//! [decode sentences]

std::vector<std::string> translate_with(Translator& translator,
                                        const std::vector<std::string>& sentences,
                                        const DecodeOptions& options) {
    const std::vector<std::vector<std::int64_t>> sources = translator.encode(sentences);
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
