// corpus.hpp — reading Multi30k: gzip-compressed text, one sentence per line (chapter 10).
//
// Multi30k task 1 (Elliott et al., 2016) is six gzip files: train, val and
// test_2016_flickr, each in German (.de) and English (.en); line i of X.de is the
// translation of line i of X.en. We read them with zlib, line by line, and check every
// line before it reaches the model with chapter 00's text readers (text_files.hpp:
// valid UTF-8, no NUL, no carriage return, no empty or blank line), and here:
//
//   * X.de and X.en must have the same number of lines.
//
// Each error names the file and the line. Nothing is dropped silently: whatever the
// programs later skip (pairs too long for the model) they count and report.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "00_tensors/text_files.hpp"

namespace tfm {

/// The file stem of Multi30k's test split, the 2016 Flickr test set (the programs'
/// `--split test`).
inline constexpr const char* kTestSplit = "test_2016_flickr";

/// The command that downloads the data, for error messages.
std::string download_hint(const std::string& dir);

/// Sentence pairs: src[i] translates to tgt[i].
struct ParallelText {
    std::vector<std::string> src;
    std::vector<std::string> tgt;
    std::size_t size() const { return src.size(); }
};

/// Reads `<dir>/<split>.<src_lang>.gz` and `<dir>/<split>.<tgt_lang>.gz`. A missing
/// directory or file is a DataError that says how to download the data.
ParallelText read_parallel(const std::string& dir, const std::string& split,
                           const std::string& src_lang = "de", const std::string& tgt_lang = "en");

}  // namespace tfm
