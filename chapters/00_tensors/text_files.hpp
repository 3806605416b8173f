// text_files.hpp — reading text: gzip or plain, every line checked before it is used.
//
// The book trains on text files: Multi30k's sentence files (chapter 10, gzip), Tiny
// Shakespeare (chapter 12), vocabularies, and whatever a reader pipes into a program.
// Every one of them is user input, so it is checked before it reaches a model:
//
//   * the bytes must be valid UTF-8 (no overlong forms, no surrogates, nothing beyond
//     U+10FFFF); the error names the byte;
//   * no NUL byte (what a crash or a damaged disk leaves behind: blocks of zeros);
//   * no carriage return (a file saved with Windows line ends would put "\r" inside
//     every last token);
//   * for sentence files, no empty or blank line (it would be a sentence with nothing to
//     translate, and would shift the pairing if it were dropped from one side only).
//
// gzip is decompressed through zlib, which passes plain text through unchanged; a
// decompressed size beyond a limit is an error, so a small "gzip bomb" cannot fill the
// memory. Each error names the file and the line (or byte), and echoes file contents
// only through printable(), so a binary file cannot put control characters on the
// reader's terminal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tfm {

/// Thrown for a data file (or input) that is missing or malformed; the message names
/// the file and the line.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Checks that `bytes` is valid UTF-8. Returns the offset of the first invalid byte, or
/// std::string::npos.
std::size_t find_invalid_utf8(const std::string& bytes);

/// `bytes` made safe to print in a one-line message: control characters, DEL and bytes
/// that are not valid UTF-8 become `\\xNN`, and anything past `max_chars` is cut with "…".
std::string printable(const std::string& bytes, std::size_t max_chars = 60);

/// A short fingerprint of some texts (64-bit FNV-1a over their bytes, each text's length
/// first so that ("ab", "c") and ("a", "bc") differ): to check cheaply that two
/// processes, or a run and its resumption, read the same data. Not cryptographic.
class Fingerprint {
public:
    void add(const std::string& text);
    /// Sixteen hexadecimal digits.
    std::string hex() const;

private:
    std::uint64_t hash_ = 14695981039346656037ull;
};

/// The largest decompressed file the readers accept unless told otherwise (256 MiB;
/// Multi30k's largest file is 2 MB, Tiny Shakespeare 1.1 MB).
inline constexpr std::size_t kMaxTextBytes = std::size_t(256) << 20;

/// Reads every line of a gzip-compressed (or plain) UTF-8 text file, checking each as
/// described above. A final line without '\n' is accepted. With `allow_empty`, empty
/// lines are kept (a file of translations may hold an empty one).
std::vector<std::string> read_lines(const std::string& path, bool allow_empty = false,
                                    std::size_t max_bytes = kMaxTextBytes);

/// Splits text into lines and checks each as read_lines does; `source` names it.
std::vector<std::string> split_lines(const std::string& text, const std::string& source,
                                     bool allow_empty = false);

/// The decompressed bytes of a gzip (or plain) file, unchecked, at most `max_bytes`.
std::string read_text_unchecked(const std::string& path, std::size_t max_bytes = kMaxTextBytes);

/// Reads a whole gzip-compressed (or plain) UTF-8 text file, newlines and all (chapter 12
/// trains on one long text); invalid UTF-8, a NUL or a CR is an error naming the byte.
std::string read_text(const std::string& path, std::size_t max_bytes = kMaxTextBytes);

/// Writes lines to a gzip file atomically (write_file_atomically), for tests and the
/// made-up language of chapter 10; each line ends with a newline. At most 1 GiB of text.
void write_lines_gz(const std::string& path, const std::vector<std::string>& lines);

/// Everything on standard input, at most `max_bytes`. A read that fails (standard input
/// redirected from a directory, a device error) is a DataError, never an empty input.
std::string read_standard_input(std::size_t max_bytes = kMaxTextBytes);

/// The lines a program translates or scores: from `path`, or from standard input when
/// `path` is empty or "-"; checked like read_lines, empty lines allowed. A DataError about
/// the file starts with `flag`, the option that named it ("--input").
std::vector<std::string> read_input_lines(const std::string& path, const std::string& flag);

}  // namespace tfm
