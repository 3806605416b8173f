// vocabulary.cpp — building, saving and checking word vocabularies; the word codec.
// (The SentencePiece codec is in subwords.cpp: this file needs no library beyond the
// standard one, so the browser build of the translator can compile it.)
#include "vocabulary.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "00_tensors/files.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "corpus.hpp"
#include "tokenizer.hpp"

namespace tfm {

const std::vector<std::string>& special_tokens() {
    static const std::vector<std::string> specials = {"<s>", "</s>", "<blank>", "<unk>"};
    return specials;
}

// ---- word vocabulary ----------------------------------------------------------------------

Vocabulary::Vocabulary(std::vector<std::string> tokens, const std::string& source)
    : tokens_(std::move(tokens)) {
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        const std::string where = source + ":" + std::to_string(i + 1) + ": ";
        const std::string& t = tokens_[i];
        if (i < special_tokens().size() && t != special_tokens()[i]) {
            throw DataError(where + "expected the special token " + special_tokens()[i] +
                            ", got '" + printable(t) + "'");
        }
        if (t.empty() || t.find_first_of(" \t\r\n") != std::string::npos) {
            throw DataError(where + "a token must be non-empty and hold no whitespace");
        }
        if (find_invalid_utf8(t) != std::string::npos) throw DataError(where + "invalid UTF-8");
        if (!ids_.emplace(t, std::int64_t(i)).second)
            throw DataError(where + "duplicate token '" + printable(t) + "'");
    }
    if (tokens_.size() < special_tokens().size()) {
        throw DataError(source + ": a vocabulary holds at least the " +
                        std::to_string(special_tokens().size()) + " special tokens, got " +
                        std::to_string(tokens_.size()));
    }
}

//! [build vocabulary]
Vocabulary Vocabulary::build(const std::vector<std::vector<std::string>>& sentences,
                             std::size_t min_freq) {
    std::map<std::string, std::size_t> counts;  // ordered: ties come out in byte order
    for (const auto& sentence : sentences)
        for (const std::string& t : sentence) ++counts[t];
    std::vector<std::pair<std::string, std::size_t>> kept;
    for (const auto& [token, n] : counts) {
        const bool special = std::find(special_tokens().begin(), special_tokens().end(), token) !=
                             special_tokens().end();
        if (n >= min_freq && !special) kept.emplace_back(token, n);
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::string> tokens = special_tokens();
    for (const auto& [token, n] : kept) tokens.push_back(token);
    return Vocabulary(std::move(tokens), "built vocabulary");
}
//! [build vocabulary]

Vocabulary Vocabulary::load(const std::string& path) {
    std::string text;
    try {
        text = read_file(path, std::size_t(64) << 20);
    } catch (const FileError& e) {
        throw DataError(e.what());
    }
    return parse(text, path);
}

Vocabulary Vocabulary::parse(const std::string& text, const std::string& path) {
    // Counted before they are kept: 64 MiB of newlines would otherwise be 67 million
    // strings (about 3 GiB) before the count is checked.
    const std::size_t lines = std::size_t(std::count(text.begin(), text.end(), '\n')) +
                              (!text.empty() && text.back() != '\n' ? 1 : 0);
    if (lines > kMaxVocab) {
        throw DataError(path + ": " + std::to_string(lines) + " tokens, more than the " +
                        std::to_string(kMaxVocab) + " a model may have");
    }
    std::vector<std::string> tokens;
    tokens.reserve(lines);
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) tokens.push_back(line);
    return Vocabulary(std::move(tokens), path);
}

void Vocabulary::save(const std::string& path) const {
    std::string text;
    for (const std::string& t : tokens_) text += t + "\n";
    write_file_atomically(path, text);
}

std::int64_t Vocabulary::id(const std::string& token) const {
    const auto it = ids_.find(token);
    return it == ids_.end() ? kUnk : it->second;
}

const std::string& Vocabulary::token(std::int64_t id) const {
    if (id < 0 || std::size_t(id) >= tokens_.size()) {
        throw std::out_of_range("token id " + std::to_string(id) +
                                " is outside the vocabulary [0, " + std::to_string(tokens_.size()) +
                                ")");
    }
    return tokens_[std::size_t(id)];
}

std::vector<std::int64_t> WordCodec::encode(const std::string& sentence) const {
    std::vector<std::int64_t> ids;
    for (const std::string& t : tokenize(sentence)) ids.push_back(vocabulary_.id(t));
    return ids;
}

std::string WordCodec::decode(const std::vector<std::int64_t>& ids) const {
    std::vector<std::string> tokens;
    for (std::int64_t id : ids) {
        if (id != kBos && id != kEos && id != kPad) tokens.push_back(vocabulary_.token(id));
    }
    return detokenize(tokens);
}

void WordCodec::save(const std::string& dir, const std::string& stem) const {
    vocabulary_.save(dir + "/" + stem + ".vocab");
}

std::unique_ptr<WordCodec> WordCodec::load(const std::string& dir, const std::string& stem) {
    return std::make_unique<WordCodec>(Vocabulary::load(dir + "/" + stem + ".vocab"));
}

double unknown_rate(const TextCodec& codec, const std::vector<std::string>& sentences) {
    std::size_t unknown = 0, total = 0;
    for (const std::string& s : sentences) {
        for (std::int64_t id : codec.encode(s)) {
            unknown += id == kUnk;
            ++total;
        }
    }
    return total ? double(unknown) / double(total) : 0.0;
}

}  // namespace tfm
