// Solution to exercise 10.1 — the clipped n-gram matches at the heart of BLEU.
#include "10_translation/exercises/exercises.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace tfm::exercises {

NgramMatches clipped_ngram_matches(const std::vector<std::string>& hypothesis,
                                   const std::vector<std::string>& reference, std::size_t n) {
    if (n == 0) throw std::invalid_argument("clipped_ngram_matches: n must be at least 1");
    using Ngram = std::vector<std::string>;
    auto count = [n](const std::vector<std::string>& words) {
        std::map<Ngram, std::size_t> counts;
        for (std::size_t i = 0; i + n <= words.size(); ++i)
            ++counts[Ngram(words.begin() + long(i), words.begin() + long(i + n))];
        return counts;
    };
    const auto hyp = count(hypothesis), ref = count(reference);
    NgramMatches m;
    for (const auto& [gram, k] : hyp) {
        const auto it = ref.find(gram);
        m.matches += it == ref.end() ? 0 : std::min(k, it->second);
        m.total += k;
    }
    return m;
}

}  // namespace tfm::exercises
