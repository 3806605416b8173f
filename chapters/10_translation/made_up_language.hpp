// made_up_language.hpp — a tiny made-up language pair with a rule to learn (chapter 10).
//
// The chapter's tests and its demo cannot wait an hour for Multi30k. They train on a
// language pair made up on the spot: a sentence is 3 to 8 words from a lexicon of 16,
// ending with a period, and its "translation" maps every word through a fixed
// dictionary *and reverses the word order*. A model that only learned the dictionary
// would score badly; one that learned the rule translates perfectly. The files are
// written exactly like Multi30k's (gzip, one sentence per line), so the whole pipeline
// — reading, tokenizing, vocabularies, batching, training, decoding, BLEU — runs.
#pragma once

#include <cstddef>
#include <string>

#include "00_tensors/random.hpp"
#include "corpus.hpp"

namespace tfm {

/// `count` sentence pairs of the made-up language.
ParallelText made_up_pairs(std::size_t count, Rng& rng);

/// Writes train/val/test_2016_flickr .de.gz/.en.gz of the made-up language into `dir`;
/// refuses (DataError) if any of the six files already exists, before writing any.
void write_made_up_corpus(const std::string& dir, std::size_t train, std::size_t val,
                          std::size_t test, Rng& rng);

}  // namespace tfm
