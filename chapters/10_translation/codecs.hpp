// codecs.hpp — from sentences to ids and back, on both sides of a translation (chapter 10).
//
// A translator needs two codecs: one that turns a German sentence into the ids the
// encoder reads, one that turns the decoder's ids into an English sentence. They are
// either two word vocabularies (tokenizer.hpp, one per language, words seen at least
// min_freq times) or one SentencePiece model shared by both languages, whose single
// vocabulary lets the source embeddings, the target embeddings and the generator share
// one matrix (paper §3.4). Both are built from the training split only, and saved with
// every checkpoint, so that a checkpoint alone can translate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "batching.hpp"
#include "corpus.hpp"
#include "vocabulary.hpp"

namespace tfm {

/// The source and target codecs: two word codecs, or one shared subword codec.
struct Codecs {
    std::shared_ptr<const TextCodec> src;
    std::shared_ptr<const TextCodec> tgt;
    bool subword = false;
};

/// Builds the codecs from the training split only: word vocabularies (min_freq) or a
/// shared SentencePiece model of `subword_vocab` pieces.
Codecs build_codecs(const ParallelText& train, bool subword, std::size_t min_freq = 2,
                    std::size_t subword_vocab = 8000);

/// Writes the codecs into `dir` (src.vocab and tgt.vocab, or shared.spm); reads them back.
void save_codecs(const std::string& dir, const Codecs& codecs);
Codecs load_codecs(const std::string& dir, bool subword);

/// A short fingerprint of what the codecs map: every id's token text, both sides. Two
/// codecs with the same fingerprint turn the same sentences into the same ids.
std::string codecs_fingerprint(const Codecs& codecs);

class TrainingRun;

/// Refuses (CheckpointError) codecs other than those a resumed run was trained with: their
/// fingerprint against settings.json's data.vocabularies. A run saved before that was
/// recorded passes; check_vocabularies compares its sizes.
void check_saved_codecs(const TrainingRun& run, const Codecs& codecs);

/// A sentence's ids wrapped in `<s>` … `</s>`.
std::vector<std::int64_t> wrapped(std::vector<std::int64_t> ids);

/// The pairs as ids with `<s>` and `</s>`. Pairs longer than `max_len` ids on either side
/// are skipped and counted in `skipped`.
std::vector<Example> make_examples(const ParallelText& text, const Codecs& codecs,
                                   std::size_t max_len, std::size_t& skipped);

}  // namespace tfm
