// bleu.cpp — 13a tokenization, clipped n-gram counts, the corpus score.
#include "bleu.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>

namespace tfm {

namespace {

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos;
         at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
}

bool is_ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

// The ASCII symbols 13a always separates: { | } ~ [ \ ] ^ _ ` space ! " # $ % & ( ) * +
// : ; < = > ? @ / — the character ranges {-~, [-`, space-&, (-+, :-@ and the slash.
bool is_13a_symbol(char c) {
    return (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') ||
           (c >= '(' && c <= '+') || (c >= ':' && c <= '@') || c == '/';
}

// One of the regular-expression passes of 13a, for a two-character pattern: scanning left
// to right, a pair (a, b) with first(a) and second(b) is replaced and the scan resumes
// after it — exactly how Python's re.sub treats non-overlapping matches.
template <class First, class Second, class Replace>
std::string pass(const std::string& s, First first, Second second, Replace replace) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        if (i + 1 < s.size() && first(s[i]) && second(s[i + 1])) {
            out += replace(s[i], s[i + 1]);
            i += 2;
        } else {
            out += s[i++];
        }
    }
    return out;
}

bool is_python_space(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

}  // namespace

//! [13a]
std::vector<std::string> tokenize_13a(const std::string& input) {
    std::string line = input;
    // sacreBLEU strips trailing whitespace first, then the language-independent part.
    while (!line.empty() && is_python_space(static_cast<unsigned char>(line.back())))
        line.pop_back();
    replace_all(line, "<skipped>", "");
    replace_all(line, "-\n", "");
    replace_all(line, "\n", " ");
    replace_all(line, "&quot;", "\"");
    replace_all(line, "&amp;", "&");
    replace_all(line, "&lt;", "<");
    replace_all(line, "&gt;", ">");
    line = " " + line + " ";
    // Symbols get spaces on both sides.
    std::string spaced;
    for (char c : line) {
        if (is_13a_symbol(c)) {
            spaced += ' ';
            spaced += c;
            spaced += ' ';
        } else {
            spaced += c;
        }
    }
    auto not_digit = [](char c) { return !is_ascii_digit(c); };
    auto period_or_comma = [](char c) { return c == '.' || c == ','; };
    // A period or comma after a non-digit, then one before a non-digit, then a hyphen
    // after a digit: "end." → "end .", "3.5" stays, "5-year" → "5 - year".
    spaced = pass(spaced, not_digit, period_or_comma, [](char a, char b) {
        return std::string{a, ' ', b, ' '};
    });
    spaced = pass(spaced, period_or_comma, not_digit, [](char a, char b) {
        return std::string{' ', a, ' ', b};
    });
    spaced = pass(
        spaced, is_ascii_digit, [](char c) { return c == '-'; },
        [](char a, char b) {
            return std::string{a, ' ', b, ' '};
        });
    // Collapse whitespace. (Python's str.split, which sacreBLEU uses, also splits at
    // Unicode spaces such as U+00A0; the English side of Multi30k has none.)
    std::vector<std::string> tokens;
    std::string current;
    for (char c : spaced) {
        if (is_python_space(static_cast<unsigned char>(c))) {
            if (!current.empty()) tokens.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) tokens.push_back(current);
    return tokens;
}
//! [13a]

BleuStats& BleuStats::operator+=(const BleuStats& o) {
    for (std::size_t n = 0; n < 4; ++n) {
        matches[n] += o.matches[n];
        totals[n] += o.totals[n];
    }
    hyp_length += o.hyp_length;
    ref_length += o.ref_length;
    return *this;
}

//! [sentence stats]
BleuStats sentence_stats(const std::vector<std::string>& hyp, const std::vector<std::string>& ref) {
    BleuStats s;
    s.hyp_length = hyp.size();
    s.ref_length = ref.size();
    for (std::size_t n = 1; n <= 4; ++n) {
        // Count every n-gram of each side; a hypothesis n-gram matches at most as often
        // as it occurs in the reference ("clipping": "the the the" earns one "the").
        std::map<std::vector<std::string>, std::size_t> ref_counts, hyp_counts;
        for (std::size_t i = 0; i + n <= ref.size(); ++i)
            ++ref_counts[{ref.begin() + long(i), ref.begin() + long(i + n)}];
        for (std::size_t i = 0; i + n <= hyp.size(); ++i)
            ++hyp_counts[{hyp.begin() + long(i), hyp.begin() + long(i + n)}];
        for (const auto& [gram, count] : hyp_counts) {
            const auto it = ref_counts.find(gram);
            s.matches[n - 1] += it == ref_counts.end() ? 0 : std::min(count, it->second);
            s.totals[n - 1] += count;
        }
    }
    return s;
}
//! [sentence stats]

//! [bleu score]
BleuScore bleu_from_stats(const BleuStats& stats) {
    BleuScore b;
    b.stats = stats;
    const double c = double(stats.hyp_length), r = double(stats.ref_length);
    b.brevity_penalty = c < r ? (c > 0 ? std::exp(1.0 - r / c) : 0.0) : 1.0;
    bool any_match = false;
    for (std::size_t m : stats.matches) any_match = any_match || m > 0;
    if (!any_match) return b;  // nothing matches: 0, as sacreBLEU
    double log_sum = 0.0, smooth = 1.0;
    for (std::size_t n = 0; n < 4; ++n) {
        if (stats.totals[n] == 0) {
            // No n-grams of this order at all: precision 0, and the score with it.
            return b;
        }
        if (stats.matches[n] == 0) {
            smooth *= 2.0;  // "exp" smoothing: 1/2, 1/4, ... of a match
            b.precisions[n] = 100.0 / (smooth * double(stats.totals[n]));
        } else {
            b.precisions[n] = 100.0 * double(stats.matches[n]) / double(stats.totals[n]);
        }
        log_sum += std::log(b.precisions[n]);
    }
    b.score = b.brevity_penalty * std::exp(log_sum / 4.0);
    return b;
}
//! [bleu score]

BleuScore corpus_bleu(const std::vector<std::string>& hypotheses,
                      const std::vector<std::string>& references) {
    if (hypotheses.size() != references.size()) {
        throw std::invalid_argument("BLEU: " + std::to_string(hypotheses.size()) +
                                    " hypotheses but " + std::to_string(references.size()) +
                                    " references");
    }
    BleuStats total;
    for (std::size_t i = 0; i < hypotheses.size(); ++i) {
        total += sentence_stats(tokenize_13a(hypotheses[i]), tokenize_13a(references[i]));
    }
    return bleu_from_stats(total);
}

std::string BleuScore::report() const {
    char buffer[256];
    const double ratio =
        stats.ref_length ? double(stats.hyp_length) / double(stats.ref_length) : 0.0;
    std::snprintf(
        buffer, sizeof buffer,
        "BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %zu ref_len = %zu)",
        score, precisions[0], precisions[1], precisions[2], precisions[3], brevity_penalty, ratio,
        stats.hyp_length, stats.ref_length);
    return buffer;
}

}  // namespace tfm
