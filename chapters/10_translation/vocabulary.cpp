// vocabulary.cpp — building, saving and checking vocabularies; the SentencePiece codec.
#include "vocabulary.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

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
    std::vector<std::string> tokens;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) tokens.push_back(line);
    if (tokens.size() > kMaxVocab) {
        throw DataError(path + ": " + std::to_string(tokens.size()) + " tokens, more than the " +
                        std::to_string(kMaxVocab) + " a model may have");
    }
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

// ---- SentencePiece --------------------------------------------------------------------------

struct SubwordCodec::Impl {
    sentencepiece::SentencePieceProcessor processor;
};

SubwordCodec::SubwordCodec(std::string model_proto)
    : impl_(std::make_unique<Impl>()), model_proto_(std::move(model_proto)) {
    const auto status = impl_->processor.LoadFromSerializedProto(model_proto_);
    if (!status.ok()) throw DataError("not a SentencePiece model: " + status.ToString());
    // The ids must be the ones the model was built around.
    const auto& p = impl_->processor;
    if (p.bos_id() != kBos || p.eos_id() != kEos || p.pad_id() != kPad || p.unk_id() != kUnk) {
        throw DataError(
            "SentencePiece model: expected the special ids <s>=0 </s>=1 <blank>=2 <unk>=3, got " +
            std::to_string(p.bos_id()) + " " + std::to_string(p.eos_id()) + " " +
            std::to_string(p.pad_id()) + " " + std::to_string(p.unk_id()));
    }
}

SubwordCodec::~SubwordCodec() = default;

namespace {
// SentencePiece's trainer reads its sentences from this.
class SentenceList : public sentencepiece::SentenceIterator {
public:
    explicit SentenceList(const std::vector<std::string>& s) : s_(s) {}
    bool done() const override { return i_ >= s_.size(); }
    void Next() override { ++i_; }
    const std::string& value() const override { return s_[i_]; }
    sentencepiece::util::Status status() const override { return {}; }

private:
    const std::vector<std::string>& s_;
    std::size_t i_ = 0;
};

// The trainer prints hundreds of progress lines on stderr; keep them out of the way
// while it runs (its result and any error come back as a Status).
class QuietStderr {
public:
    QuietStderr() : saved_(::dup(2)) {
        const int null = ::open("/dev/null", O_WRONLY);
        if (null >= 0) {
            ::dup2(null, 2);
            ::close(null);
        }
    }
    ~QuietStderr() {
        if (saved_ >= 0) {
            ::dup2(saved_, 2);
            ::close(saved_);
        }
    }

private:
    int saved_;
};
}  // namespace

//! [train subwords]
std::unique_ptr<SubwordCodec> SubwordCodec::train(const std::vector<std::string>& sentences,
                                                  std::size_t vocab_size) {
    const std::unordered_map<std::string, std::string> args = {
        {"model_type", "bpe"},  // byte-pair encoding, as the paper (§5.1)
        {"vocab_size", std::to_string(vocab_size)},
        {"character_coverage", "1.0"},  // every character of the training text
        {"input_sentence_size", "0"},   // all sentences, no sampling
        {"num_threads", "2"},
        {"bos_id", "0"},
        {"eos_id", "1"},
        {"pad_id", "2"},
        {"unk_id", "3"},
        {"bos_piece", "<s>"},
        {"eos_piece", "</s>"},
        {"pad_piece", "<blank>"},
        {"unk_piece", "<unk>"},
    };
    SentenceList list(sentences);
    std::string proto;
    sentencepiece::SetRandomGeneratorSeed(1);
    sentencepiece::util::Status status;
    {
        QuietStderr quiet;
        status = sentencepiece::SentencePieceTrainer::Train(args, &list, &proto);
    }
    if (!status.ok())
        throw DataError("training the SentencePiece model failed: " + status.ToString());
    return std::unique_ptr<SubwordCodec>(new SubwordCodec(std::move(proto)));
}
//! [train subwords]

std::unique_ptr<SubwordCodec> SubwordCodec::load(const std::string& dir, const std::string& stem) {
    const std::string path = dir + "/" + stem + ".spm";
    std::string proto;
    try {
        proto = read_file(path, std::size_t(64) << 20);
    } catch (const FileError& e) {
        throw DataError(e.what());
    }
    try {
        return std::unique_ptr<SubwordCodec>(new SubwordCodec(std::move(proto)));
    } catch (const DataError& e) {
        throw DataError(path + ": " + e.what());
    }
}

std::vector<std::int64_t> SubwordCodec::encode(const std::string& sentence) const {
    std::vector<int> ids;
    const auto status = impl_->processor.Encode(sentence, &ids);
    if (!status.ok())
        throw DataError("SentencePiece cannot encode '" + printable(sentence) +
                        "': " + status.ToString());
    return {ids.begin(), ids.end()};
}

std::string SubwordCodec::decode(const std::vector<std::int64_t>& ids) const {
    std::vector<int> kept;
    for (std::int64_t id : ids) {
        if (id < 0 || std::size_t(id) >= vocab_size()) {
            throw std::out_of_range("token id " + std::to_string(id) +
                                    " is outside the vocabulary [0, " +
                                    std::to_string(vocab_size()) + ")");
        }
        if (id != kBos && id != kEos && id != kPad) kept.push_back(int(id));
    }
    std::string text;
    const auto status = impl_->processor.Decode(kept, &text);
    if (!status.ok()) throw DataError("SentencePiece cannot decode: " + status.ToString());
    return text;
}

std::size_t SubwordCodec::vocab_size() const {
    return std::size_t(impl_->processor.GetPieceSize());
}

std::string SubwordCodec::token_text(std::int64_t id) const {
    if (id < 0 || std::size_t(id) >= vocab_size()) {
        throw std::out_of_range("token id " + std::to_string(id) +
                                " is outside the vocabulary [0, " + std::to_string(vocab_size()) +
                                ")");
    }
    return impl_->processor.IdToPiece(int(id));
}

void SubwordCodec::save(const std::string& dir, const std::string& stem) const {
    write_file_atomically(dir + "/" + stem + ".spm", model_proto_);
}

std::vector<std::string> SubwordCodec::pieces(const std::string& sentence) const {
    std::vector<std::string> out;
    impl_->processor.Encode(sentence, &out).IgnoreError();
    return out;
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
