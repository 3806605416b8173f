// search.cpp — greedy and beam search on a step decoder.
#include "search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace tfm {

double length_penalty(std::size_t length, double alpha) {
    return std::pow((5.0 + double(length)) / 6.0, alpha);
}

// An output of n tokens consumes n positions while it is searched (`<s>` and n − 1 of its
// own), and n + 1 when it is read back whole after `<s>` — to draw its attention, or to
// score it with teacher forcing. One position is kept for that.
std::size_t max_output_tokens(std::size_t source_length, std::size_t extra, std::size_t positions) {
    return std::min(source_length + extra, positions - 1);
}

namespace {
void check_start(const StepDecoder& decoder, const std::vector<std::size_t>& source_lengths) {
    if (decoder.length() != 0)
        throw std::invalid_argument("search: the decoder has already been stepped");
    if (decoder.rows() != source_lengths.size()) {
        throw std::invalid_argument("search: " + std::to_string(decoder.rows()) + " rows but " +
                                    std::to_string(source_lengths.size()) + " source lengths");
    }
}
std::size_t output_limit(const StepDecoder& decoder, std::size_t source_length,
                         const SearchLimits& limits) {
    return max_output_tokens(source_length, limits.extra, decoder.max_length());
}
// A step of greedy search for the trace: its one hypothesis, open or finished. Greedy
// ranks nothing, so an open hypothesis's score is its log P.
SearchStep greedy_step(const Hypothesis& h, bool finished) {
    SearchStep step;
    if (finished) {
        step.finished.push_back(h);
    } else {
        step.open.push_back(Hypothesis{h.tokens, h.log_prob, h.log_prob});
    }
    return step;
}

// A step of beam search for the trace: the beams kept open, scored log P / lp(their length
// so far), and the hypotheses that finished at this step (those from `first_new` on).
template <class Beams>
SearchStep beam_step(const Beams& open, const std::vector<Hypothesis>& finished,
                     std::size_t first_new, double alpha) {
    SearchStep step;
    for (const auto& b : open)
        step.open.push_back(
            {b.tokens, b.log_prob, b.log_prob / length_penalty(b.tokens.size(), alpha)});
    step.finished.assign(finished.begin() + std::ptrdiff_t(first_new), finished.end());
    return step;
}

}  // namespace

//! [greedy search]
std::vector<Hypothesis> greedy_search(StepDecoder& decoder,
                                      const std::vector<std::size_t>& source_lengths,
                                      const SearchLimits& limits, bool compact,
                                      SearchTrace* trace) {
    check_start(decoder, source_lengths);
    if (trace) trace->assign(source_lengths.size(), {});
    std::vector<Hypothesis> out(source_lengths.size());
    std::vector<bool> done(source_lengths.size(), false);
    std::vector<std::int64_t> tokens(decoder.rows(), limits.bos);
    while (decoder.rows() > 0) {
        const Tensor<2> logp_RV = decoder.step(tokens);
        const std::size_t V = logp_RV.shape()[1];
        std::vector<std::size_t> open;  // the rows that go on
        for (std::size_t r = 0; r < decoder.rows(); ++r) {
            const std::size_t s = decoder.sources()[r];
            if (done[s]) continue;  // only without compaction: a finished row still in the batch
            const float* row = &logp_RV(r, 0);
            const std::int64_t best = std::int64_t(std::max_element(row, row + V) - row);
            Hypothesis& h = out[s];
            h.log_prob += row[best];
            const std::size_t length = h.tokens.size() + 1;  // </s> counts
            if (best == limits.eos || length == output_limit(decoder, source_lengths[s], limits)) {
                if (best != limits.eos) h.tokens.push_back(best);
                h.score = h.log_prob;  // greedy ranks nothing; no length penalty
                done[s] = true;
            } else {
                h.tokens.push_back(best);
                open.push_back(r);
            }
            if (trace) (*trace)[s].push_back(greedy_step(h, done[s]));
            tokens[r] = best;
        }
        if (open.empty()) break;
        if (compact && open.size() < decoder.rows()) {
            // Finished sentences leave the batch: their rows are no longer computed.
            decoder.select(open);
            std::vector<std::int64_t> kept;
            for (std::size_t r : open) kept.push_back(tokens[r]);
            tokens = std::move(kept);
        }
    }
    return out;
}
//! [greedy search]

//! [beam search]
std::vector<Hypothesis> beam_search(StepDecoder& decoder,
                                    const std::vector<std::size_t>& source_lengths,
                                    std::size_t beam, double alpha, const SearchLimits& limits,
                                    SearchTrace* trace) {
    check_start(decoder, source_lengths);
    if (beam == 0) throw std::invalid_argument("beam_search: the beam size must be at least 1");
    if (!(alpha >= 0.0)) throw std::invalid_argument("beam_search: alpha must be at least 0");
    struct Beam {
        std::vector<std::int64_t> tokens;
        double log_prob;
    };
    const std::size_t B = source_lengths.size();
    std::vector<std::vector<Beam>> open(
        B, std::vector<Beam>{Beam{{}, 0.0}});  // rows in sentence order
    std::vector<std::vector<Hypothesis>> finished(B);
    std::vector<std::int64_t> tokens(B, limits.bos);
    if (trace) trace->assign(B, {});
    while (decoder.rows() > 0) {
        const Tensor<2> logp_RV = decoder.step(tokens);
        const std::size_t V = logp_RV.shape()[1];
        std::vector<std::size_t> parents;  // the decoder rows the new beams continue
        std::vector<std::int64_t> next_tokens;
        std::size_t row = 0;
        for (std::size_t s = 0; s < B; ++s) {
            if (open[s].empty()) continue;
            const std::size_t first_row = row,
                              limit = output_limit(decoder, source_lengths[s], limits);
            row += open[s].size();
            // 1. The best 2K extensions of the sentence's open beams: per beam its best
            //    2K tokens, then the best 2K of those.
            struct Candidate {
                double log_prob;
                std::size_t beam;
                std::int64_t token;
            };
            std::vector<Candidate> candidates;
            const std::size_t per_beam = std::min(V, 2 * beam);
            std::vector<std::int64_t> ids(V);
            for (std::size_t b = 0; b < open[s].size(); ++b) {
                const float* lp = &logp_RV(first_row + b, 0);
                for (std::size_t v = 0; v < V; ++v) ids[v] = std::int64_t(v);
                std::partial_sort(ids.begin(), ids.begin() + std::ptrdiff_t(per_beam), ids.end(),
                                  [&](std::int64_t a, std::int64_t c) {
                                      return lp[a] > lp[c] || (lp[a] == lp[c] && a < c);
                                  });
                for (std::size_t i = 0; i < per_beam; ++i) {
                    candidates.push_back({open[s][b].log_prob + lp[ids[i]], b, ids[i]});
                }
            }
            std::stable_sort(
                candidates.begin(), candidates.end(),
                [](const Candidate& a, const Candidate& c) { return a.log_prob > c.log_prob; });
            if (candidates.size() > 2 * beam) candidates.resize(2 * beam);
            // 2. </s> (or the length limit) finishes a hypothesis; the best K others stay open.
            const std::size_t finished_before = finished[s].size();
            std::vector<Beam> next;
            for (const Candidate& c : candidates) {
                const Beam& parent = open[s][c.beam];
                const std::size_t length = parent.tokens.size() + 1;
                if (c.token == limits.eos || length == limit) {
                    Hypothesis h{parent.tokens, c.log_prob,
                                 c.log_prob / length_penalty(length, alpha)};
                    if (c.token != limits.eos) h.tokens.push_back(c.token);
                    finished[s].push_back(std::move(h));
                } else if (next.size() < beam) {
                    Beam b{parent.tokens, c.log_prob};
                    b.tokens.push_back(c.token);
                    next.push_back(std::move(b));
                    parents.push_back(first_row + c.beam);
                    next_tokens.push_back(c.token);
                }
            }
            // 3. Done when no open beam can beat the best finished one: its score can at
            //    best be log P / lp(limit), log P only falling and lp only growing.
            if (!finished[s].empty() && !next.empty()) {
                double best = -std::numeric_limits<double>::infinity(), bound = best;
                for (const Hypothesis& h : finished[s]) best = std::max(best, h.score);
                for (const Beam& b : next)
                    bound = std::max(bound, b.log_prob / length_penalty(limit, alpha));
                if (bound <= best) {
                    parents.resize(parents.size() - next.size());
                    next_tokens.resize(next_tokens.size() - next.size());
                    next.clear();
                }
            }
            if (trace) (*trace)[s].push_back(beam_step(next, finished[s], finished_before, alpha));
            open[s] = std::move(next);
        }
        if (parents.empty()) break;
        decoder.select(parents);  // reorder the caches to follow the surviving beams
        tokens = std::move(next_tokens);
    }
    std::vector<Hypothesis> best(B);
    for (std::size_t s = 0; s < B; ++s) {
        const auto it = std::max_element(
            finished[s].begin(), finished[s].end(),
            [](const Hypothesis& a, const Hypothesis& b) { return a.score < b.score; });
        if (it != finished[s].end()) best[s] = *it;
    }
    return best;
}
//! [beam search]

}  // namespace tfm
