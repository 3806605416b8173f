// char_text.hpp — a text as a sequence of character ids, and training windows (chapter 12).
//
// The language model reads Tiny Shakespeare (about 40,000 lines of Shakespeare's plays,
// 1,115,394 characters, from Karpathy's char-rnn) one character at a time: the
// vocabulary is the 65 distinct characters of the text, sorted, so 'A' is always the same
// id. As nanoGPT does, the first 90% of the text trains and the last 10% validates.
//
// Self-supervision needs no labels: the text is its own target. A training example is a
// window of T = L + 1 consecutive characters at a random offset; the model reads the
// first L and must predict, at every position l, character l + 1 — L predictions from one
// window, every one of them a "label" the text already holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "00_tensors/random.hpp"
#include "08_training/batch.hpp"

namespace tfm {

class CharVocabulary {
public:
    /// The distinct characters of `text`, sorted by byte value. The text must be ASCII:
    /// another byte is an std::invalid_argument naming `source`, its line and its byte.
    static CharVocabulary of_text(const std::string& text, const std::string& source = "the text");
    /// From the characters themselves (as chars() returns them); errors name `source`.
    static CharVocabulary from_chars(const std::string& chars, const std::string& source);

    std::size_t size() const { return chars_.size(); }
    const std::string& chars() const { return chars_; }
    bool contains(char c) const { return ids_[static_cast<unsigned char>(c)] >= 0; }
    /// The ids of a text; a character outside the vocabulary is an error naming it and
    /// its position.
    std::vector<std::int64_t> encode(const std::string& text) const;
    std::string decode(const std::vector<std::int64_t>& ids) const;

private:
    std::string chars_;
    std::int64_t ids_[256];
};

/// The first 90% and the last 10% of a sequence of ids, as nanoGPT splits Tiny Shakespeare.
struct TextSplit {
    std::vector<std::int64_t> train;
    std::vector<std::int64_t> val;
};
TextSplit split_train_val(const std::vector<std::int64_t>& ids, double train_share = 0.9);

/// Refuses (std::invalid_argument, naming `what`: "the training split") a text of `size`
/// ids too short for one window of block + 1: the context, and the character after it.
void check_holds_a_window(std::size_t size, std::size_t block, const std::string& what);

/// nanoGPT's get_batch: `batch` windows of block + 1 ids at random offsets, as a chapter
/// 08 Batch whose decoder input is each window's first `block` ids and whose labels are
/// its last `block` (so ntokens = batch · block).
Batch random_windows(const std::vector<std::int64_t>& data, std::size_t batch, std::size_t block,
                     Rng& rng);

/// Replaces every character of `text` outside `vocabulary` by its entry in `table`
/// (which must map into the vocabulary), counting the replacements; a character in
/// neither is an error naming it and where it is, as `source`:line:column.
std::string map_into_vocabulary(const std::string& text, const CharVocabulary& vocabulary,
                                const std::map<char, char>& table, std::size_t& replaced,
                                const std::string& source = "the text");

}  // namespace tfm
