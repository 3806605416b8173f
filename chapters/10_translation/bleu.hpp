// bleu.hpp — corpus BLEU, computed the way sacreBLEU computes its default score
// (chapter 10).
//
// BLEU (Papineni et al., 2002) compares a system's translations with references by
// counting shared n-grams, n = 1..4, over the whole corpus:
//
//     p_n  = Σ_sentences Σ_ngrams min(count in hypothesis, count in reference)
//            / Σ_sentences number of hypothesis n-grams          (clipped precision)
//     BP   = exp(1 − r/c) if c < r, else 1     (c, r: hypothesis and reference lengths)
//     BLEU = 100 · BP · exp( (1/4) Σ_n log p_n )
//
// Numbers are only comparable if computed the same way, which is why sacreBLEU (Post,
// 2018) exists; we follow its default settings exactly: detokenized, cased text; its
// `13a` tokenization of both sides; `exp` smoothing (an order with no match gets
// precision 1/(2^k · total) instead of 0, k counting such orders); and a score of 0
// when nothing at all matches. Its signature for these settings is
// nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace tfm {

/// sacreBLEU's `13a` tokenization (that of WMT's mteval-v13a): unescape &quot; &amp;
/// &lt; &gt;; put spaces around { | } ~ [ \ ] ^ _ ` ! " # $ % & ( ) * + : ; < = > ? @ /
/// (not the apostrophe, hyphen, period or comma); split a period or comma off a
/// neighbour that is not a digit; split a hyphen that follows a digit; collapse spaces.
std::vector<std::string> tokenize_13a(const std::string& line);

/// The sufficient statistics of BLEU: summed over sentences, they make the corpus score.
struct BleuStats {
    std::array<std::size_t, 4> matches{};  ///< clipped n-gram matches, n = 1..4
    std::array<std::size_t, 4> totals{};   ///< hypothesis n-grams, n = 1..4
    std::size_t hyp_length = 0;
    std::size_t ref_length = 0;
    BleuStats& operator+=(const BleuStats& o);
};

/// The statistics of one tokenized hypothesis against one tokenized reference.
BleuStats sentence_stats(const std::vector<std::string>& hyp, const std::vector<std::string>& ref);

struct BleuScore {
    double score = 0.0;                  ///< 0..100
    std::array<double, 4> precisions{};  ///< in percent, after smoothing
    double brevity_penalty = 1.0;
    BleuStats stats;
    /// "BLEU = 35.12 67.3/42.0/28.5/19.7 (BP = 0.981 ratio = 0.981 hyp_len = 12812
    /// ref_len = 13058)"
    std::string report() const;
};

/// The score from summed statistics (exp smoothing, as sacreBLEU).
BleuScore bleu_from_stats(const BleuStats& stats);

/// Corpus BLEU of plain-text hypotheses against plain-text references, line by line.
/// Throws std::invalid_argument if the counts differ.
BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const std::vector<std::string>& references);

/// The settings, as sacreBLEU's signature prints them.
inline constexpr const char* kBleuSignature = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp";

}  // namespace tfm
