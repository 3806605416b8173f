// made_up_language.cpp — the lexicon, the rule, and the files.
#include "made_up_language.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

namespace tfm {

namespace {
const char* const kSource[16] = {"ba", "ko", "mi", "ru", "te", "lo", "su", "ni",
                                 "da", "fe", "gu", "ho", "ja", "ke", "pa", "wo"};
const char* const kTarget[16] = {"cat",  "sees", "dog", "red",   "runs", "big",  "tree", "house",
                                 "blue", "eats", "man", "small", "old",  "bird", "sits", "fish"};
}  // namespace

ParallelText made_up_pairs(std::size_t count, Rng& rng) {
    ParallelText text;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t words = 3 + rng.below(6);
        std::vector<std::size_t> w(words);
        for (auto& x : w) x = rng.below(16);
        std::string src, tgt;
        for (std::size_t k = 0; k < words; ++k) src += std::string(k ? " " : "") + kSource[w[k]];
        for (std::size_t k = words; k-- > 0;)
            tgt += std::string(tgt.empty() ? "" : " ") + kTarget[w[k]];
        text.src.push_back(src + " .");
        text.tgt.push_back(tgt + " .");
    }
    return text;
}

void write_made_up_corpus(const std::string& dir, std::size_t train, std::size_t val,
                          std::size_t test, Rng& rng) {
    const std::pair<const char*, std::size_t> splits[] = {
        {"train", train}, {"val", val}, {kTestSplit, test}};
    // Only new files: a --out that already holds a corpus (Multi30k itself, say) is never
    // overwritten with made-up sentences.
    for (const auto& [split, count] : splits) {
        for (const char* lang : {".de.gz", ".en.gz"}) {
            const std::string path = dir + "/" + split + lang;
            std::error_code ec;
            if (std::filesystem::exists(std::filesystem::symlink_status(path, ec)))
                throw DataError(path +
                                ": already exists; the made-up language is written "
                                "only to new files (choose another --out)");
        }
    }
    for (const auto& [split, count] : splits) {
        const ParallelText text = made_up_pairs(count, rng);
        write_lines_gz(dir + "/" + split + ".de.gz", text.src);
        write_lines_gz(dir + "/" + split + ".en.gz", text.tgt);
    }
}

}  // namespace tfm
