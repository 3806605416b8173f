// translator.hpp — a trained model with its codecs: translating, averaging, saving
// (chapter 10).
//
// What translates is a directory — a training run (translation_run.hpp) or a
// "translation model" that `average` writes — holding at least:
//
//     model/             the weights, a chapter 07 checkpoint
//     vocab/             src.vocab and tgt.vocab, or one shared.spm
//     translation.json   {"tokenization": "word" | "subword", "max_len": 64}
//
// so a checkpoint alone can translate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "00_tensors/npy.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "codecs.hpp"

namespace tfm {

/// The kind of directory `average` writes (files.hpp marker).
inline constexpr const char* kTranslationModelKind = "translation model";

/// Greedy decoding of many sentences (ids without `<s>`/`</s>`), in batches of similar
/// length of at most `batch_tokens` padded source tokens; each sentence stops at its own
/// `</s>` or after its source length + `extra` tokens (the paper's limit, §6.1), a batch
/// when all of its sentences have. Returns the output ids, without `<s>` and `</s>`.
/// Every step runs the decoder on the whole prefix again; chapter 11 caches it.
std::vector<std::vector<std::int64_t>> greedy_translate(
    EncoderDecoder& model, const std::vector<std::vector<std::int64_t>>& sources,
    std::size_t batch_tokens = 4096, std::size_t extra = 50);

/// A model with its codecs: what `translate` and `bleu` load from a checkpoint.
struct Translator {
    EncoderDecoder model;
    Codecs codecs;
    std::size_t max_len = 0;  ///< the training maximum (information only)

    /// Plain sentences in, plain (detokenized) translations out.
    std::vector<std::string> translate(const std::vector<std::string>& sentences,
                                       std::size_t batch_tokens = 4096);

    /// The source codec's ids of each sentence, each checked, before any is translated,
    /// to fit the model's positional table with <s> and </s>: a std::length_error names
    /// the sentence by its number, from 1.
    std::vector<std::vector<std::int64_t>> encode(const std::vector<std::string>& sentences) const;
};

/// Writes what a translator needs besides its weights into `dir`: vocab/ and
/// translation.json.
void write_translator_files(const std::string& dir, const Codecs& codecs, std::size_t max_len);

/// Checks that the model's embedding tables fit the codecs (one row per token on each
/// side); a mismatch is a CheckpointError naming `dir` and both sizes.
void check_vocabularies(const ModelConfig& config, const Codecs& codecs, const std::string& dir);

/// Loads a training run or a translation model. A directory without its vocabulary or
/// translation.json, or whose vocabularies do not match the model's, is an error that
/// says what is wrong.
Translator load_translator(const std::string& dir);

/// Writes a translation model (model/, translation.json, vocab/) atomically; with
/// `storage` DType::Float16 the weights take half the bytes (how the book ships them).
void save_translation_model(const std::string& dir, EncoderDecoder& model, const Codecs& codecs,
                            std::size_t max_len, DType storage = DType::Float32);

/// The snapshot directories of a training run (snapshots/epoch_NNN), oldest first.
std::vector<std::string> run_snapshots(const std::string& run_dir);

/// The element-wise mean of the weights of model checkpoints (chapter 07 directories)
/// of one configuration — "averaging the last checkpoints" (paper §6.1).
EncoderDecoder average_checkpoints(const std::vector<std::string>& model_dirs);

}  // namespace tfm
