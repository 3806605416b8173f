// inspection.cpp — one translation seen from the inside: search trace, next-token
// probabilities and attention maps, and their JSON.
#include "inspection.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace tfm {

//! [inspect]
Inspection inspect_translation(Translator& translator, const std::string& sentence,
                               const DecodeOptions& options, std::size_t top) {
    Inspection in;
    in.sentence = sentence;
    in.options = options;
    const std::vector<std::int64_t> source = translator.codecs.src->encode(sentence);
    if (source.empty()) throw std::invalid_argument("nothing to translate: the sentence is empty");
    // 1. The search, exactly as translate_with runs it on a batch of one sentence, with
    //    its trace.
    SearchTrace trace;
    in.best = decode_batch(translator.model, pad_sources({source}, {0}), options, &trace)[0];
    in.steps = std::move(trace[0]);
    in.max_tokens = max_output_tokens(source.size(), options.extra,
                                      translator.model.tgt_embed.position.max_len());
    in.wrote_end = in.best.tokens.size() < in.max_tokens;  // a hypothesis at the limit has no </s>
    in.translation = translator.codecs.tgt->decode(in.best.tokens);
    // 2. One forward pass over the source and the output: the attention maps, and at each
    //    position the distribution of the next token.
    in.maps = attention_maps(translator, source, in.best.tokens);
    const Tensor<2>& logp_LV = in.maps.next_log_probs;
    const std::size_t V = logp_LV.shape()[1], k = std::min(top, V);
    std::vector<std::int64_t> ids(V);
    for (std::size_t i = 0; i < logp_LV.shape()[0]; ++i) {
        const float* row = &logp_LV(i, 0);
        std::iota(ids.begin(), ids.end(), std::int64_t(0));
        std::partial_sort(ids.begin(), ids.begin() + std::ptrdiff_t(k), ids.end(),
                          [&](std::int64_t a, std::int64_t b) {
                              return row[a] > row[b] || (row[a] == row[b] && a < b);
                          });
        std::vector<TokenProbability> best;
        for (std::size_t j = 0; j < k; ++j) {
            best.push_back(
                {ids[j], translator.codecs.tgt->token_text(ids[j]), std::exp(double(row[ids[j]]))});
        }
        in.next_tokens.push_back(std::move(best));
        const bool last = i == in.best.tokens.size();
        if (!last || in.wrote_end) {
            const std::int64_t id = last ? kEos : in.best.tokens[i];
            in.written.push_back({id, translator.codecs.tgt->token_text(id),
                                  std::exp(double(row[std::size_t(id)]))});
        }
    }
    return in;
}
//! [inspect]

namespace {

// 7 decimals: all a float32 in [0, 1] holds, in far fewer characters than its full
// double expansion.
double rounded(double x) {
    return std::round(x * 1e7) / 1e7;
}

nlohmann::json maps_json(const std::vector<Tensor<3>>& layers) {
    nlohmann::json out = nlohmann::json::array();
    for (const Tensor<3>& w : layers) {
        nlohmann::json heads = nlohmann::json::array();
        for (std::size_t h = 0; h < w.shape()[0]; ++h) {
            nlohmann::json rows = nlohmann::json::array();
            for (std::size_t i = 0; i < w.shape()[1]; ++i) {
                nlohmann::json row = nlohmann::json::array();
                for (std::size_t j = 0; j < w.shape()[2]; ++j) row.push_back(rounded(w(h, i, j)));
                rows.push_back(std::move(row));
            }
            heads.push_back(std::move(rows));
        }
        out.push_back(std::move(heads));
    }
    return out;
}

}  // namespace

nlohmann::json inspection_json(const Inspection& in, const TextCodec& target_codec) {
    const auto hypothesis = [&](const Hypothesis& h, bool finished) {
        nlohmann::json j;
        j["tokens"] = token_strings(target_codec, h.tokens);
        j["log_prob"] = h.log_prob;
        j["score"] = h.score;
        // A finished hypothesis shorter than the limit ended with </s>.
        j["end"] = finished && h.tokens.size() < in.max_tokens;
        return j;
    };
    nlohmann::json j;
    j["sentence"] = in.sentence;
    j["translation"] = in.translation;
    j["beam"] = in.options.beam;
    j["alpha"] = in.options.alpha;
    j["log_prob"] = in.best.log_prob;
    j["score"] = in.best.score;
    j["wrote_end"] = in.wrote_end;
    j["max_tokens"] = in.max_tokens;
    j["source_tokens"] = in.maps.source_tokens;
    j["target_tokens"] = in.maps.target_tokens;
    const auto candidates = [](const std::vector<TokenProbability>& tokens) {
        nlohmann::json out = nlohmann::json::array();
        for (const TokenProbability& t : tokens)
            out.push_back({{"token", t.token}, {"id", t.id}, {"p", rounded(t.probability)}});
        return out;
    };
    nlohmann::json next = nlohmann::json::array();
    for (const auto& position : in.next_tokens) next.push_back(candidates(position));
    j["next_tokens"] = std::move(next);
    j["written"] = candidates(in.written);
    nlohmann::json steps = nlohmann::json::array();
    for (const SearchStep& step : in.steps) {
        nlohmann::json open = nlohmann::json::array(), finished = nlohmann::json::array();
        for (const Hypothesis& h : step.open) open.push_back(hypothesis(h, false));
        for (const Hypothesis& h : step.finished) finished.push_back(hypothesis(h, true));
        steps.push_back({{"open", std::move(open)}, {"finished", std::move(finished)}});
    }
    j["steps"] = std::move(steps);
    j["attention"] = {{"encoder", maps_json(in.maps.encoder_self)},
                      {"decoder", maps_json(in.maps.decoder_self)},
                      {"cross", maps_json(in.maps.decoder_cross)}};
    return j;
}

}  // namespace tfm
