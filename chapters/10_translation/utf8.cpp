// utf8.cpp — checking that bytes are UTF-8 (declared in corpus.hpp, which reads the data
// with it). Kept apart from corpus.cpp's zlib reading, so that the browser build of the
// translator, which has no zlib, can check its vocabularies too.
#include "corpus.hpp"

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

}  // namespace tfm
