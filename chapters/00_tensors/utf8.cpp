// utf8.cpp — checking UTF-8 and printing bytes safely (declared in text_files.hpp).
// Kept apart from the file readers, which need zlib, so that a build without zlib — the
// translator compiled to WebAssembly — can check its vocabularies too.
#include <cstdio>

#include "text_files.hpp"

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

}  // namespace tfm
