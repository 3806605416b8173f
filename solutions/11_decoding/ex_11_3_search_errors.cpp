// Solution to exercise 11.3 — better search, shorter translations? Measure it.
#include "11_decoding/exercises/exercises.hpp"

#include <algorithm>

#include "11_decoding/decoding.hpp"

namespace tfm::exercises {

std::vector<SearchOutcome> search_errors_by_beam(
    EncoderDecoder& model, const std::vector<std::vector<std::int64_t>>& sources,
    const std::vector<std::size_t>& beams, std::size_t extra) {
    // Exact search: a beam as wide as the number of possible outputs prunes nothing, and
    // the stopping rule never stops a beam that could still win. With V tokens, one of
    // them </s>, outputs of at most ℓ tokens number Σ_{k<ℓ} (V−1)^(k−1) (ending in </s>
    // early) + V·(V−1)^(ℓ−1) (stopped by the limit).
    std::size_t longest = 0;
    for (const auto& s : sources) longest = std::max(longest, s.size());
    const std::size_t V = model.config().tgt_vocab, limit = longest + extra;
    std::size_t outputs = 0, power = 1;  // power = (V − 1)^(k − 1)
    for (std::size_t k = 1; k < limit; ++k, power *= V - 1) outputs += power;
    outputs += V * power;

    DecodeOptions exact;
    exact.beam = outputs;
    exact.alpha = 0.0;
    exact.extra = extra;
    const std::vector<Hypothesis> best = decode_sentences(model, sources, exact);

    std::vector<SearchOutcome> outcomes;
    for (std::size_t beam : beams) {
        DecodeOptions d = exact;
        d.beam = beam;
        const std::vector<Hypothesis> found = decode_sentences(model, sources, d);
        SearchOutcome o;
        o.beam = beam;
        for (std::size_t s = 0; s < sources.size(); ++s) {
            o.search_errors += found[s].log_prob < best[s].log_prob - 1e-6;
            o.mean_tokens += double(found[s].tokens.size()) / double(sources.size());
        }
        outcomes.push_back(o);
    }
    return outcomes;
}

}  // namespace tfm::exercises
