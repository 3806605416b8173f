// subwords.cpp — the SentencePiece codec: shared subword pieces for both languages
// (declared in vocabulary.hpp).
#include <algorithm>

#include <fcntl.h>
#include <unistd.h>

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include "00_tensors/files.hpp"
#include "corpus.hpp"
#include "vocabulary.hpp"

namespace tfm {

struct SubwordCodec::Impl {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {
// SentencePiece's own message without the place in its source it comes from
// ("./src/trainer_interface.cc(428) [!sentences_.empty()]"), which means nothing to a
// reader; "" when nothing else is left.
std::string plain_message(const sentencepiece::util::Status& status) {
    std::string m = status.message();
    if (m.rfind("./src/", 0) == 0) {
        const std::size_t close = m.find("] ");
        m = close == std::string::npos ? "" : m.substr(close + 2);
    }
    return m;
}
}  // namespace

SubwordCodec::SubwordCodec(std::string model_proto)
    : impl_(std::make_unique<Impl>()), model_proto_(std::move(model_proto)) {
    if (model_proto_.empty()) throw DataError("an empty file, expected a SentencePiece model");
    const auto status = impl_->processor.LoadFromSerializedProto(model_proto_);
    if (!status.ok()) {
        const std::string why = plain_message(status);
        throw DataError("not a SentencePiece model" +
                        (why.empty() ? std::string(" (it cannot be parsed)") : ": " + why));
    }
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

namespace {
std::size_t longest_sentence(const std::vector<std::string>& sentences) {
    std::size_t longest = 0;
    for (const std::string& s : sentences) longest = std::max(longest, s.size());
    return longest;
}
}  // namespace

//! [train subwords]
std::unique_ptr<SubwordCodec> SubwordCodec::train(const std::vector<std::string>& sentences,
                                                  std::size_t vocab_size) {
    const std::unordered_map<std::string, std::string> args = {
        {"model_type", "bpe"},  // byte-pair encoding, as the paper (§5.1)
        {"vocab_size", std::to_string(vocab_size)},
        {"character_coverage", "1.0"},  // every character of the training text
        {"input_sentence_size", "0"},   // all sentences, no sampling
        // and none skipped for its length (SentencePiece's default skips lines over 4192
        // bytes, without a word)
        {"max_sentence_length", std::to_string(longest_sentence(sentences) + 1)},
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
    if (!status.ok()) {
        // What a reader can meet: more pieces asked for than the text allows, or fewer
        // than its distinct characters (each gets a piece; SentencePiece's own advice
        // names one of its options, which this program does not have).
        std::string why = plain_message(status);
        if (why.find("required_chars") != std::string::npos)
            why = "the text has more distinct characters than that, and each needs a piece";
        throw DataError("--subword-vocab " + std::to_string(vocab_size) +
                        ": SentencePiece cannot train " + std::to_string(vocab_size) +
                        " pieces on this text" + (why.empty() ? std::string() : ": " + why));
    }
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

}  // namespace tfm
