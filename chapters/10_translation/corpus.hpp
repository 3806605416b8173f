// corpus.hpp — reading Multi30k: gzip-compressed text, one sentence per line (chapter 10).
//
// Multi30k task 1 (Elliott et al., 2016) is six gzip files: train, val and
// test_2016_flickr, each in German (.de) and English (.en); line i of X.de is the
// translation of line i of X.en. We read them with zlib, line by line, and check every
// line before it reaches the model:
//
//   * the bytes must be valid UTF-8 (a broken multi-byte sequence is named by its byte);
//   * no carriage return (a file saved with Windows line ends would put "\r" inside
//     every last token);
//   * no empty or blank line (it would be a sentence pair with nothing to translate,
//     and would shift the pairing if it were dropped from one side only);
//   * X.de and X.en must have the same number of lines.
//
// Each error names the file and the line. Nothing is dropped silently: whatever the
// programs later skip (pairs too long for the model) they count and report.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace tfm {

/// Thrown for a data file that is missing or malformed; the message names file and line.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The command that downloads the data, for error messages.
std::string download_hint(const std::string& dir);

/// Checks that `bytes` is valid UTF-8 (no overlong forms, no surrogates, nothing beyond
/// U+10FFFF). Returns the offset of the first invalid byte, or std::string::npos.
std::size_t find_invalid_utf8(const std::string& bytes);

/// The largest decompressed file read_lines accepts (256 MiB; Multi30k's largest is 2 MB).
inline constexpr std::size_t kMaxTextBytes = std::size_t(256) << 20;

/// Reads every line of a gzip-compressed (or plain) UTF-8 text file, checking each as
/// described above. A final line without '\n' is accepted. With `allow_empty`, empty
/// lines are kept (a file of translations may hold an empty one).
std::vector<std::string> read_lines(const std::string& path, bool allow_empty = false,
                                    std::size_t max_bytes = kMaxTextBytes);

/// Splits text into lines and checks each as read_lines does; `path` names the source.
std::vector<std::string> split_lines(const std::string& text, const std::string& path,
                                     bool allow_empty = false);

/// The decompressed bytes of a gzip (or plain) file, unchecked, at most `max_bytes`.
std::string read_text_unchecked(const std::string& path, std::size_t max_bytes = kMaxTextBytes);

/// Reads a whole gzip-compressed (or plain) UTF-8 text file, newlines and all (chapter 12
/// trains on one long text); invalid UTF-8 or a CR is an error naming the byte offset.
std::string read_text(const std::string& path, std::size_t max_bytes = kMaxTextBytes);

/// Writes lines to a gzip file (for tests and the chapter's made-up language).
void write_lines_gz(const std::string& path, const std::vector<std::string>& lines);

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
