// text_files.cpp — gzip lines through zlib, with every check named by file and line.
#include "text_files.hpp"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "files.hpp"

namespace tfm {

//! [utf8]
std::size_t find_invalid_utf8(const std::string& bytes) {
    const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        // How many continuation bytes follow, and the smallest code point that may use
        // this many (anything smaller is an "overlong" encoding, which is invalid).
        std::size_t more;
        char32_t cp, min;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            more = 1, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            more = 2, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            more = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return i;  // a stray continuation byte, or 0xF8..0xFF
        }
        for (std::size_t k = 1; k <= more; ++k) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80) return i;  // truncated sequence
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += more + 1;
    }
    return std::string::npos;
}
//! [utf8]

std::string printable(const std::string& bytes, std::size_t max_chars) {
    std::string out;
    std::size_t chars = 0, i = 0;
    auto escape = [&](unsigned char c) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02X", c);
        out += hex;
    };
    while (i < bytes.size()) {
        if (chars == max_chars) return out + "…";
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c < 0x20 || c == 0x7F) {
            escape(c);
            ++i;
        } else if (c < 0x80) {
            out += char(c);
            ++i;
        } else {
            // One whole UTF-8 character if it is valid there, else the byte escaped.
            const std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
            const std::string one = bytes.substr(i, len);
            if (one.size() == len && find_invalid_utf8(one) == std::string::npos) {
                out += one;
                i += len;
            } else {
                escape(c);
                ++i;
            }
        }
        ++chars;
    }
    return out;
}

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
        text.append(buffer, std::size_t(n));
        if (text.size() > max_bytes) {
            throw DataError(path + ": more than " + std::to_string(max_bytes) +
                            " bytes when decompressed; this is not a text file the book reads");
        }
    }
    return text;
}

std::string read_text(const std::string& path, std::size_t max_bytes) {
    std::string text = read_text_unchecked(path, max_bytes);
    const std::size_t bad = find_invalid_utf8(text);
    if (bad != std::string::npos)
        throw DataError(path + ": invalid UTF-8 at byte " + std::to_string(bad));
    const std::size_t nul = text.find('\0');
    if (nul != std::string::npos) {
        throw DataError(path + ": a NUL byte at byte " + std::to_string(nul) +
                        ": the file is damaged (a crash leaves blocks of zeros)");
    }
    const std::size_t cr = text.find('\r');
    if (cr != std::string::npos)
        throw DataError(path + ": a carriage return (CR) at byte " + std::to_string(cr));
    return text;
}

void write_lines_gz(const std::string& path, const std::vector<std::string>& lines) {
    std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "wb"));
    if (!file) throw DataError(path + ": cannot create");
    for (const std::string& line : lines) {
        const std::string text = line + "\n";
        if (gzwrite(file.get(), text.data(), unsigned(text.size())) != int(text.size())) {
            throw DataError(path + ": write failed");
        }
    }
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

std::vector<std::string> read_input_lines(const std::string& path) {
    if (path.empty() || path == "-")
        return split_lines(read_standard_input(), "standard input", true);
    return read_lines(path, true);
}

}  // namespace tfm
