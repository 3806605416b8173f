// text_files.cpp — gzip lines through zlib, with every check named by file and line.
#include "text_files.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "files.hpp"

namespace tfm {

void Fingerprint::add(const std::string& text) {
    auto mix = [this](unsigned char byte) {
        hash_ ^= byte;
        hash_ *= 1099511628211ull;  // the FNV-1a prime
    };
    for (std::size_t n = text.size(), i = 0; i < 8; ++i)
        mix(static_cast<unsigned char>(n >> (8 * i)));
    for (char c : text) mix(static_cast<unsigned char>(c));
}

std::string Fingerprint::hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash_));
    return out;
}

namespace {

struct GzCloser {
    void operator()(gzFile f) const { gzclose(f); }
};

void check_line(const std::string& line, const std::string& source, std::size_t number,
                bool allow_empty) {
    const std::string where = source + ":" + std::to_string(number) + ": ";
    const std::size_t nul = line.find('\0');
    if (nul != std::string::npos) {
        throw DataError(where + "a NUL byte at byte " + std::to_string(nul + 1) +
                        " of the line: the file is damaged (a crash leaves blocks of zeros)");
    }
    if (line.find('\r') != std::string::npos) {
        throw DataError(where +
                        "contains a carriage return (CR): the file must use Unix line ends");
    }
    if (!allow_empty && line.find_first_not_of(" \t") == std::string::npos) {
        throw DataError(
            where + (line.empty() ? "empty line" : "blank line") +
            ": every line must hold a sentence (its pair would have nothing to translate)");
    }
    const std::size_t bad = find_invalid_utf8(line);
    if (bad != std::string::npos) {
        throw DataError(where + "invalid UTF-8 at byte " + std::to_string(bad + 1) +
                        " of the line");
    }
}

}  // namespace

//! [read lines]
std::vector<std::string> split_lines(const std::string& text, const std::string& source,
                                     bool allow_empty) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();  // a last line without '\n'
        std::string line = text.substr(start, end - start);
        check_line(line, source, lines.size() + 1, allow_empty);
        lines.push_back(std::move(line));
        start = end + 1;
    }
    if (lines.empty() && !allow_empty) throw DataError(source + ": the file holds no lines");
    return lines;
}

std::vector<std::string> read_lines(const std::string& path, bool allow_empty,
                                    std::size_t max_bytes) {
    // gzip is decompressed through zlib (plain text passes through), then split and checked.
    return split_lines(read_text_unchecked(path, max_bytes), path, allow_empty);
}
//! [read lines]

std::string read_text_unchecked(const std::string& path, std::size_t max_bytes) {
    try {
        regular_file_size(path);  // exists, readable, a regular file
    } catch (const FileError& e) {
        throw DataError(e.what());
    }
    // gzopen reads gzip streams and, transparently, plain text.
    std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
    if (!file) throw DataError(path + ": cannot open");
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const int n = gzread(file.get(), buffer, sizeof buffer);
        int code = 0;
        if (n < 0)
            throw DataError(path + ": not a readable gzip file: " + gzerror(file.get(), &code));
        if (n == 0) {
            // End of input: a stream cut off in the middle is an error, not an end.
            gzerror(file.get(), &code);
            if (code == Z_BUF_ERROR) throw DataError(path + ": the gzip stream is truncated");
            break;
        }
        // Checked before the append: the string never grows past the limit (a gzip
        // bomb would otherwise double its buffer once more, and copy it, first).
        if (text.size() + std::size_t(n) > max_bytes) {
            throw DataError(path + ": more than " + std::to_string(max_bytes) +
                            " bytes when decompressed; this is not a text file the book reads");
        }
        text.append(buffer, std::size_t(n));
    }
    return text;
}

namespace {

// Byte `at` of `text` named as split_lines names it: "PATH:LINE: " and, after the
// caller's words, "at byte N of the line" (both counted from 1).
std::string where_in_text(const std::string& text, std::size_t at, const std::string& path,
                          const std::string& what) {
    const std::size_t line = 1 + std::size_t(std::count(text.begin(), text.begin() + at, '\n'));
    const std::size_t line_start = at == 0 ? 0 : text.rfind('\n', at - 1) + 1;  // npos + 1 = 0
    return path + ":" + std::to_string(line) + ": " + what + " at byte " +
           std::to_string(at - line_start + 1) + " of the line";
}

}  // namespace

std::string read_text(const std::string& path, std::size_t max_bytes) {
    std::string text = read_text_unchecked(path, max_bytes);
    const std::size_t bad = find_invalid_utf8(text);
    if (bad != std::string::npos) throw DataError(where_in_text(text, bad, path, "invalid UTF-8"));
    const std::size_t nul = text.find('\0');
    if (nul != std::string::npos) {
        throw DataError(where_in_text(text, nul, path, "a NUL byte") +
                        ": the file is damaged (a crash leaves blocks of zeros)");
    }
    const std::size_t cr = text.find('\r');
    if (cr != std::string::npos) {
        throw DataError(where_in_text(text, cr, path, "a carriage return (CR)") +
                        ": the file must use Unix line ends");
    }
    return text;
}

void write_lines_gz(const std::string& path, const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    if (text.size() > kMaxReadBytes)  // zlib counts in 32 bits; nothing here writes this much
        throw DataError(path + ": more than " + std::to_string(kMaxReadBytes) + " bytes of text");
    // Compressed in memory (windowBits 15 + 16: zlib's gzip wrapper), then written by
    // write_file_atomically: a full disk or a crash never leaves half a .gz file.
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw DataError(path + ": cannot start gzip compression");
    std::string gz(deflateBound(&z, uLong(text.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(text.data());
    z.avail_in = uInt(text.size());
    z.next_out = reinterpret_cast<Bytef*>(gz.data());
    z.avail_out = uInt(gz.size());
    const int status = deflate(&z, Z_FINISH);
    gz.resize(z.total_out);
    deflateEnd(&z);
    if (status != Z_STREAM_END) throw DataError(path + ": gzip compression failed");
    write_file_atomically(path, gz);
}

std::string read_standard_input(std::size_t max_bytes) {
    // read(2) directly: std::getline would report a failed read (EISDIR when standard
    // input is a directory) exactly like the end of an empty input.
    std::string text;
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw DataError(std::string("standard input: cannot be read: ") + std::strerror(errno));
        }
        if (n == 0) return text;
        text.append(buffer, std::size_t(n));
        if (text.size() > max_bytes) {
            throw DataError("standard input: more than " + std::to_string(max_bytes) +
                            " bytes; give a file with --input instead");
        }
    }
}

std::vector<std::string> read_input_lines(const std::string& path, const std::string& flag) {
    if (path.empty() || path == "-")
        return split_lines(read_standard_input(), "standard input", true);
    try {
        return read_lines(path, true);
    } catch (const DataError& e) {
        throw DataError(flag + " " + e.what());
    }
}

}  // namespace tfm
