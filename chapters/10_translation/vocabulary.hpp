// vocabulary.hpp — from tokens to ids and back: word vocabularies and shared subwords
// (chapter 10).
//
// The model reads and writes integers. A *text codec* turns a sentence into ids and ids
// back into a sentence; this chapter has two:
//
// * WordCodec: the word tokenizer (tokenizer.hpp) and a Vocabulary built from the
//   training split only, keeping every token seen at least twice (min_freq 2, as the
//   Annotated Transformer does). Rarer tokens, and every token the training split never
//   saw, become <unk>. One vocabulary per language.
// * SubwordCodec: a SentencePiece model (Kudo & Richardson, 2018) trained by this
//   program on the German and English training sentences together, so both languages
//   share one vocabulary of subword pieces; a rare word is spelled from smaller pieces
//   instead of becoming <unk>. With one vocabulary, the source embeddings, the target
//   embeddings and the generator can be one matrix (paper §3.4; ModelConfig::
//   shared_embeddings).
//
// Both reserve the Annotated Transformer's special ids:
//     <s> = 0 (start of sentence), </s> = 1 (end), <blank> = 2 (padding), <unk> = 3.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace tfm {

inline constexpr std::int64_t kBos = 0;  ///< `<s>`
inline constexpr std::int64_t kEos = 1;  ///< `</s>`
inline constexpr std::int64_t kPad = 2;  ///< `<blank>`
inline constexpr std::int64_t kUnk = 3;  ///< `<unk>`

/// The special tokens, in id order.
const std::vector<std::string>& special_tokens();

class Vocabulary {
public:
    /// The specials, then every token that occurs at least `min_freq` times in
    /// `sentences`, the most frequent first (ties in byte order, so the result does not
    /// depend on the order of the data).
    static Vocabulary build(const std::vector<std::vector<std::string>>& sentences,
                            std::size_t min_freq);

    /// Reads a vocabulary saved by save(): one token per line, the specials first. A
    /// duplicate, an empty or blank token, invalid UTF-8 or missing specials are errors
    /// naming the file and line.
    static Vocabulary load(const std::string& path);
    /// The same from the text of such a file; `source` names it in errors.
    static Vocabulary parse(const std::string& text, const std::string& source);
    void save(const std::string& path) const;

    std::size_t size() const { return tokens_.size(); }
    /// The id of a token, or kUnk.
    std::int64_t id(const std::string& token) const;
    /// The token of an id; an id outside [0, size) is an std::out_of_range.
    const std::string& token(std::int64_t id) const;

private:
    explicit Vocabulary(std::vector<std::string> tokens, const std::string& source);
    std::vector<std::string> tokens_;
    std::unordered_map<std::string, std::int64_t> ids_;
};

/// Sentence ↔ ids.
class TextCodec {
public:
    virtual ~TextCodec() = default;
    /// The ids of a sentence, without `<s>` and `</s>`.
    virtual std::vector<std::int64_t> encode(const std::string& sentence) const = 0;
    /// The sentence of some ids; `<s>`, `</s>` and `<blank>` are skipped, `<unk>` is written
    /// `"<unk>"`.
    virtual std::string decode(const std::vector<std::int64_t>& ids) const = 0;
    virtual std::size_t vocab_size() const = 0;
    /// The token (or piece) an id stands for, as text: for labels and inspection.
    virtual std::string token_text(std::int64_t id) const = 0;
    /// Writes the codec's files into `dir` under `stem` (e.g. "src" → src.vocab).
    virtual void save(const std::string& dir, const std::string& stem) const = 0;
};

class WordCodec : public TextCodec {
public:
    explicit WordCodec(Vocabulary vocabulary) : vocabulary_(std::move(vocabulary)) {}
    std::vector<std::int64_t> encode(const std::string& sentence) const override;
    std::string decode(const std::vector<std::int64_t>& ids) const override;
    std::size_t vocab_size() const override { return vocabulary_.size(); }
    std::string token_text(std::int64_t id) const override { return vocabulary_.token(id); }
    void save(const std::string& dir, const std::string& stem) const override;
    static std::unique_ptr<WordCodec> load(const std::string& dir, const std::string& stem);
    const Vocabulary& vocabulary() const { return vocabulary_; }

private:
    Vocabulary vocabulary_;
};

class SubwordCodec : public TextCodec {
public:
    /// Trains a byte-pair-encoding SentencePiece model of `vocab_size` pieces on
    /// `sentences` (both languages), with the special ids above.
    static std::unique_ptr<SubwordCodec> train(const std::vector<std::string>& sentences,
                                               std::size_t vocab_size);
    /// Loads `<dir>/<stem>.spm`; a missing or malformed model is a clear error.
    static std::unique_ptr<SubwordCodec> load(const std::string& dir, const std::string& stem);
    ~SubwordCodec() override;

    std::vector<std::int64_t> encode(const std::string& sentence) const override;
    std::string decode(const std::vector<std::int64_t>& ids) const override;
    std::size_t vocab_size() const override;
    std::string token_text(std::int64_t id) const override;
    void save(const std::string& dir, const std::string& stem) const override;
    /// The pieces of a sentence, for display ("▁Ein", "▁Mann", ...).
    std::vector<std::string> pieces(const std::string& sentence) const;

private:
    explicit SubwordCodec(std::string model_proto);
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string model_proto_;  ///< the serialized model, saved as is
};

/// The share of tokens of `sentences` that `codec` turns into `<unk>`.
double unknown_rate(const TextCodec& codec, const std::vector<std::string>& sentences);

}  // namespace tfm
