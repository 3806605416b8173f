// codecs.cpp — building, saving, loading and checking the codecs; sentence pairs as ids.
#include "codecs.hpp"

#include "07_encoder_decoder/json_fields.hpp"
#include "08_training/training_run.hpp"
#include "tokenizer.hpp"

namespace tfm {

//! [build codecs]
Codecs build_codecs(const ParallelText& train, bool subword, std::size_t min_freq,
                    std::size_t subword_vocab) {
    Codecs codecs;
    codecs.subword = subword;
    if (subword) {
        // One model for both languages: German and English sentences together.
        std::vector<std::string> both = train.src;
        both.insert(both.end(), train.tgt.begin(), train.tgt.end());
        std::shared_ptr<const TextCodec> shared = SubwordCodec::train(both, subword_vocab);
        codecs.src = codecs.tgt = shared;
        return codecs;
    }
    // One vocabulary per language, from the training split only.
    auto vocabulary_of = [&](const std::vector<std::string>& lines) {
        std::vector<std::vector<std::string>> tokens;
        tokens.reserve(lines.size());
        for (const std::string& line : lines) tokens.push_back(tokenize(line));
        return Vocabulary::build(tokens, min_freq);
    };
    codecs.src = std::make_shared<WordCodec>(vocabulary_of(train.src));
    codecs.tgt = std::make_shared<WordCodec>(vocabulary_of(train.tgt));
    return codecs;
}
//! [build codecs]

void save_codecs(const std::string& dir, const Codecs& codecs) {
    if (codecs.subword) {
        codecs.src->save(dir, "shared");
    } else {
        codecs.src->save(dir, "src");
        codecs.tgt->save(dir, "tgt");
    }
}

Codecs load_codecs(const std::string& dir, bool subword) {
    Codecs codecs;
    codecs.subword = subword;
    if (subword) {
        codecs.src = codecs.tgt =
            std::shared_ptr<const TextCodec>(SubwordCodec::load(dir, "shared"));
    } else {
        codecs.src = std::shared_ptr<const TextCodec>(WordCodec::load(dir, "src"));
        codecs.tgt = std::shared_ptr<const TextCodec>(WordCodec::load(dir, "tgt"));
    }
    return codecs;
}

std::string codecs_fingerprint(const Codecs& codecs) {
    Fingerprint f;
    f.add(codecs.subword ? "subword" : "word");
    for (const TextCodec* codec : {codecs.src.get(), codecs.tgt.get()}) {
        f.add(std::to_string(codec->vocab_size()));
        for (std::size_t id = 0; id < codec->vocab_size(); ++id)
            f.add(codec->token_text(std::int64_t(id)));
    }
    return f.hex();
}

std::vector<std::int64_t> wrapped(std::vector<std::int64_t> ids) {
    ids.insert(ids.begin(), kBos);
    ids.push_back(kEos);
    return ids;
}

std::vector<Example> make_examples(const ParallelText& text, const Codecs& codecs,
                                   std::size_t max_len, std::size_t& skipped) {
    std::vector<Example> examples;
    examples.reserve(text.size());
    skipped = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        Example e{wrapped(codecs.src->encode(text.src[i])),
                  wrapped(codecs.tgt->encode(text.tgt[i]))};
        if (e.src.size() > max_len || e.tgt.size() > max_len) {
            ++skipped;  // counted, and reported by the caller
            continue;
        }
        examples.push_back(std::move(e));
    }
    return examples;
}

// A reordered vocabulary file keeps its size but gives every id another word: only the
// fingerprint tells.
void check_saved_codecs(const TrainingRun& files, const Codecs& codecs) {
    // A missing or malformed "data" is check_same_data's to report, with the data.
    const nlohmann::json& settings = files.settings();
    if (!settings.contains("data") || !settings["data"].is_object() ||
        !settings["data"].contains("vocabularies"))
        return;
    const nlohmann::json& data = settings["data"];
    const std::string source = files.layout().settings() + ": data";
    std::string saved;
    try {
        saved = json_string(data, "vocabularies", source);
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    }
    const std::string found = codecs_fingerprint(codecs);
    if (found != saved) {
        throw CheckpointError(files.layout().dir + "/vocab: not the vocabularies this run was " +
                              "trained with (fingerprint " + found + ", the run's " + saved + ")");
    }
}

}  // namespace tfm
