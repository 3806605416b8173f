// char_text.cpp — the character vocabulary, the split, and random windows.
#include "char_text.hpp"

#include <algorithm>
#include <stdexcept>

#include <xtensor/xtensor.hpp>

namespace tfm {

namespace {
std::string describe(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 32 && u < 127) return std::string("'") + c + "'";
    return "byte " + std::to_string(u);
}
}  // namespace

CharVocabulary CharVocabulary::from_chars(const std::string& chars, const std::string& source) {
    CharVocabulary v;
    std::fill(std::begin(v.ids_), std::end(v.ids_), -1);
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const auto u = static_cast<unsigned char>(chars[i]);
        if (u >= 128)
            throw std::invalid_argument(source + ": " + describe(chars[i]) + " is not ASCII");
        if (i > 0 && static_cast<unsigned char>(chars[i - 1]) >= u) {
            throw std::invalid_argument(
                source + ": the characters must be distinct and sorted (at position " +
                std::to_string(i) + ")");
        }
        v.ids_[u] = std::int64_t(i);
    }
    if (chars.size() < 3)
        throw std::invalid_argument(source + ": a vocabulary needs at least 3 characters");
    v.chars_ = chars;
    return v;
}

CharVocabulary CharVocabulary::of_text(const std::string& text, const std::string& source) {
    bool seen[256] = {};
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (u >= 128) {
            throw std::invalid_argument(source + ":" + std::to_string(line) + ": " +
                                        describe(text[i]) + " at byte " +
                                        std::to_string(i - line_start + 1) +
                                        " of the line is not ASCII (the model reads ASCII "
                                        "characters only)");
        }
        if (u == '\n') {
            ++line;
            line_start = i + 1;
        }
        seen[u] = true;
    }
    std::string chars;
    for (int u = 0; u < 256; ++u) {
        if (seen[u]) chars += char(u);
    }
    return from_chars(chars, source);
}

std::vector<std::int64_t> CharVocabulary::encode(const std::string& text) const {
    std::vector<std::int64_t> ids(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::int64_t id = ids_[static_cast<unsigned char>(text[i])];
        if (id < 0) {
            throw std::invalid_argument(describe(text[i]) + " at position " + std::to_string(i) +
                                        " is not in the vocabulary of " + std::to_string(size()) +
                                        " characters");
        }
        ids[i] = id;
    }
    return ids;
}

std::string CharVocabulary::decode(const std::vector<std::int64_t>& ids) const {
    std::string text;
    for (std::int64_t id : ids) {
        if (id < 0 || std::size_t(id) >= size()) {
            throw std::out_of_range("character id " + std::to_string(id) + " is outside [0, " +
                                    std::to_string(size()) + ")");
        }
        text += chars_[std::size_t(id)];
    }
    return text;
}

TextSplit split_train_val(const std::vector<std::int64_t>& ids, double train_share) {
    const std::size_t n = std::size_t(double(ids.size()) * train_share);
    return {{ids.begin(), ids.begin() + std::ptrdiff_t(n)},
            {ids.begin() + std::ptrdiff_t(n), ids.end()}};
}

void check_holds_a_window(std::size_t size, std::size_t block, const std::string& what) {
    if (size < block + 1) {
        throw std::invalid_argument(
            what + " holds " + std::to_string(size) + " characters, too few for one window of " +
            std::to_string(block + 1) + " (a context of " + std::to_string(block) +
            " and the character after it): give a longer text, or a "
            "shorter context");
    }
}

//! [random windows]
Batch random_windows(const std::vector<std::int64_t>& data, std::size_t batch, std::size_t block,
                     Rng& rng) {
    check_holds_a_window(data.size(), block, "the text");
    xt::xtensor<std::int64_t, 2> windows_BT =
        xt::xtensor<std::int64_t, 2>::from_shape({batch, block + 1});
    for (std::size_t b = 0; b < batch; ++b) {
        const std::size_t start = rng.below(std::uint32_t(data.size() - block));
        std::copy_n(data.begin() + std::ptrdiff_t(start), block + 1, &windows_BT(b, 0));
    }
    // Chapter 08's Batch splits a target [B, T] (T = L + 1) into input [:, 0..L) and
    // labels [:, 1..L]: exactly next-character prediction. There is no source, and no padding
    // (−1 matches no id).
    const xt::xtensor<std::int64_t, 2> no_source = xt::zeros<std::int64_t>({batch, std::size_t(1)});
    return make_batch(no_source, windows_BT, -1);
}
//! [random windows]

std::string map_into_vocabulary(const std::string& text, const CharVocabulary& vocabulary,
                                const std::map<char, char>& table, std::size_t& replaced,
                                const std::string& source) {
    std::string out = text;
    replaced = 0;
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (i > 0 && text[i - 1] == '\n') {  // where the error would be, as an editor counts
            ++line;
            line_start = i;
        }
        if (vocabulary.contains(out[i])) continue;
        const auto it = table.find(out[i]);
        if (it == table.end() || !vocabulary.contains(it->second)) {
            throw std::invalid_argument(
                source + ":" + std::to_string(line) + ":" + std::to_string(i - line_start + 1) +
                ": " + describe(out[i]) + " is outside the vocabulary and has no replacement");
        }
        out[i] = it->second;
        ++replaced;
    }
    return out;
}

}  // namespace tfm
