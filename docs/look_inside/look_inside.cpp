// look_inside.cpp — the trained translator in the browser: the two functions the Look
// inside page calls (docs/look_inside.md), compiled to WebAssembly by the `wasm` preset.
//
// Everything they run is the book's own code: chapter 07's model read from its
// checkpoint, chapter 10's word tokenizer and vocabularies, chapter 11's cached decoding,
// greedy and beam search, and inspect_translation, whose JSON the page draws — the same
// JSON `ch11_decoding inspect` prints natively, so the two can be compared.
//
// The translation model is embedded in the build at /model (data/pretrained/de-en when it
// was built). It is read as load_translator reads a translation model directory, with one
// difference: the browser build has no SentencePiece, so only word-level models load,
// and a subword model is a clear error rather than a missing symbol.
//
// Each function returns JSON text, valid until the next call; an error comes back as
// {"error": "..."} so that the page can show it.
#include <exception>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/matmul.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "07_encoder_decoder/json_fields.hpp"
#include "11_decoding/inspection.hpp"

namespace {

using namespace tfm;

constexpr const char* kModelDir = "/model";

// A word-level translation model directory: translation.json, vocab/src.vocab and
// vocab/tgt.vocab, model/ (chapter 10's `average` writes one).
Translator load_word_translator(const std::string& dir) {
    const std::string settings_path = dir + "/translation.json";
    const nlohmann::json settings = json_parse(read_file(settings_path, 1 << 20), settings_path);
    const std::string tokenization = json_string(settings, "tokenization", settings_path);
    if (tokenization != "word") {
        throw CheckpointError(settings_path + ": expected a word-level model, got tokenization \"" +
                              tokenization + "\" (the browser build has no SentencePiece)");
    }
    Codecs codecs;
    codecs.src = WordCodec::load(dir + "/vocab", "src");
    codecs.tgt = WordCodec::load(dir + "/vocab", "tgt");
    EncoderDecoder model = load_checkpoint(model_directory(dir));
    const ModelConfig& c = model.config();
    if (c.src_vocab != codecs.src->vocab_size() || c.tgt_vocab != codecs.tgt->vocab_size()) {
        throw CheckpointError(dir + ": the model's vocabularies do not match vocab/");
    }
    const std::size_t max_len = json_integer(settings, "max_len", settings_path, 3, 1 << 20);
    return Translator{std::move(model), codecs, max_len};
}

// Loaded on the first call, kept for the page's lifetime.
Translator& translator() {
    static std::unique_ptr<Translator> t;
    if (!t) t = std::make_unique<Translator>(load_word_translator(kModelDir));
    return *t;
}

// The reply of the last call.
std::string reply;

const char* answer(const nlohmann::json& j) {
    reply = j.dump();
    return reply.c_str();
}

const char* error(const std::exception& e) {
    return answer({{"error", e.what()}});
}

}  // namespace

extern "C" {

/// The embedded model's sizes, as JSON: N, d_model, d_ff, h, the vocabulary sizes, the
/// number of parameters, and how products are computed.
const char* look_inside_model() {
    try {
        Translator& t = translator();
        const ModelConfig& c = t.model.config();
        std::size_t parameters = 0;
        for (const Parameter* p : t.model.parameters()) parameters += p->value.size();
        return answer({{"N", c.N},
                       {"d_model", c.d_model},
                       {"d_ff", c.d_ff},
                       {"h", c.h},
                       {"src_vocab", c.src_vocab},
                       {"tgt_vocab", c.tgt_vocab},
                       {"parameters", parameters},
                       {"products", blas_info()}});
    } catch (const std::exception& e) {
        return error(e);
    }
}

/// Translates `sentence` (UTF-8) with beam size `beam` (1: greedy search) and length
/// penalty `alpha`; returns inspection_json of the translation.
const char* look_inside_translate(const char* sentence, int beam, double alpha) {
    try {
        if (beam < 1 || beam > 16) throw std::invalid_argument("beam: expected 1 to 16");
        if (!(alpha >= 0.0 && alpha <= 10.0))
            throw std::invalid_argument("alpha: expected 0 to 10");
        const std::string text(sentence);
        if (find_invalid_utf8(text) != std::string::npos)
            throw std::invalid_argument("the sentence is not valid UTF-8");
        DecodeOptions options;
        options.beam = std::size_t(beam);
        options.alpha = alpha;
        Translator& t = translator();
        return answer(inspection_json(inspect_translation(t, text, options), *t.codecs.tgt));
    } catch (const std::exception& e) {
        return error(e);
    }
}

}  // extern "C"
