// tokenizer.cpp — the rules of tokenizer.hpp, on UTF-8 code points.
#include "tokenizer.hpp"

#include <algorithm>
#include <cstddef>
#include <set>

namespace tfm {

namespace {

// One UTF-8 code point starting at s[i]: its value and its length in bytes. An invalid
// byte is taken as a one-byte "letter" (input is validated before it gets here; this
// keeps the tokenizer total).
struct CodePoint {
    char32_t value;
    std::size_t size;
};

CodePoint decode_at(const std::string& s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t size = c < 0x80             ? 1
                       : (c & 0xE0) == 0xC0 ? 2
                       : (c & 0xF0) == 0xE0 ? 3
                       : (c & 0xF8) == 0xF0 ? 4
                                            : 1;
    if (i + size > s.size()) size = 1;
    char32_t v = size == 1 ? c : size == 2 ? (c & 0x1F) : size == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < size; ++k)
        v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return {v, size};
}

bool is_space(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0xA0 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x3000;
}

// ASCII punctuation, and the non-ASCII quotes, dashes and ellipsis the data uses.
bool is_punct(char32_t c) {
    if (c < 0x80)
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
               (c >= '{' && c <= '~');
    return c == 0xAB || c == 0xBB || c == 0xB4 || (c >= 0x2010 && c <= 0x2015) ||
           (c >= 0x2018 && c <= 0x201F) || c == 0x2026;
}

bool is_word(char32_t c) {
    return !is_space(c) && !is_punct(c);
}
bool is_digit(char32_t c) {
    return c >= '0' && c <= '9';
}
bool is_letter(char32_t c) {
    return is_word(c) && !is_digit(c);
}
bool is_apostrophe(char32_t c) {
    return c == '\'' || c == 0x2019;
}

// Abbreviations whose period belongs to them (from the German and English captions).
const std::set<std::string> kAbbreviations = {"bzw", "ca", "Dept", "Dr", "etc", "evtl", "Mr",
                                              "Mrs", "Ms", "Nr",   "St", "Str", "usw",  "vs"};

// "z.B.", "U.S.", "N.Y.", "S.C.U.B.A.": two or more groups of one to three letters, each
// followed by a period. Returns the end of the match, or `i` if there is none.
std::size_t dotted_abbreviation_end(const std::string& s, std::size_t i) {
    std::size_t j = i, groups = 0;
    for (;;) {
        std::size_t k = j, letters = 0;
        while (k < s.size() && letters < 3) {
            const CodePoint cp = decode_at(s, k);
            if (!is_letter(cp.value)) break;
            k += cp.size;
            ++letters;
        }
        if (letters == 0 || k >= s.size() || s[k] != '.') break;
        j = k + 1;
        ++groups;
    }
    return groups >= 2 ? j : i;
}

// A run of letters and digits from i, keeping ".", "," and ":" between two digits.
std::size_t word_end(const std::string& s, std::size_t i) {
    std::size_t j = i;
    while (j < s.size()) {
        const CodePoint cp = decode_at(s, j);
        if (is_word(cp.value)) {
            j += cp.size;
            continue;
        }
        const bool separator = s[j] == '.' || s[j] == ',' || s[j] == ':';
        if (separator && j > i && is_digit(char32_t(s[j - 1])) && j + 1 < s.size() &&
            is_digit(char32_t(s[j + 1]))) {
            j += 1;
            continue;
        }
        break;
    }
    return j;
}

void tokenize_chunk(const std::string& s, std::vector<std::string>& out) {
    std::size_t i = 0;
    char32_t previous = ' ';
    while (i < s.size()) {
        const CodePoint cp = decode_at(s, i);
        const bool next_is_word =
            i + cp.size < s.size() && is_word(decode_at(s, i + cp.size).value);
        std::size_t j;
        if (is_word(cp.value)) {
            j = dotted_abbreviation_end(s, i);
            if (j == i) {
                j = word_end(s, i);
                if (j < s.size() && s[j] == '.' && kAbbreviations.count(s.substr(i, j - i))) ++j;
            }
            out.push_back(s.substr(i, j - i));
        } else if (is_apostrophe(cp.value) && is_word(previous) && next_is_word &&
                   is_letter(decode_at(s, i + cp.size).value)) {
            j = word_end(s, i + cp.size);  // the clitic: 's, 't, 're, ...
            out.push_back(s.substr(i, j - i));
        } else if (cp.value == '-' && is_word(previous) && next_is_word) {
            j = i + 1;
            out.push_back(kJoinedHyphen);
        } else {
            j = i + cp.size;
            out.push_back(s.substr(i, cp.size));  // one punctuation mark
        }
        // The last code point of the token just emitted.
        std::size_t last = j - 1;
        while (last > i && (static_cast<unsigned char>(s[last]) & 0xC0) == 0x80) --last;
        previous = decode_at(s, last).value;
        i = j;
    }
}

}  // namespace

//! [tokenize]
std::vector<std::string> tokenize(const std::string& line) {
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        // Skip whitespace, then take the chunk up to the next whitespace.
        CodePoint cp = decode_at(line, i);
        if (is_space(cp.value)) {
            i += cp.size;
            continue;
        }
        std::size_t j = i;
        while (j < line.size() && !is_space((cp = decode_at(line, j)).value)) j += cp.size;
        tokenize_chunk(line.substr(i, j - i), tokens);
        i = j;
    }
    return tokens;
}
//! [tokenize]

//! [detokenize]
std::string detokenize(const std::vector<std::string>& tokens) {
    static const std::set<std::string> closing = {".", ",", "!", "?", ";", ":", ")",
                                                  "]", "}", "%", "…", "”", "»", "’"};
    static const std::set<std::string> opening = {"(", "[", "{", "„", "«", "‘"};
    std::string out;
    bool glue_next = true;  // no space before the next token (start of line, after an opening mark)
    bool double_open = false, single_open = false;
    int german_open = 0;  // „ ... “
    for (const std::string& t : tokens) {
        if (t == kJoinedHyphen) {
            out += '-';
            glue_next = true;
            continue;
        }
        bool glue_left = false, glue_right = false;
        if (closing.count(t)) {
            glue_left = true;
        } else if (opening.count(t)) {
            glue_right = true;
            german_open += t == "„";
        } else if (t == "“") {  // closes a German „, else opens an English quotation
            if (german_open > 0) {
                glue_left = true;
                --german_open;
            } else {
                glue_right = true;
            }
        } else if (t == "\"" || t == "'") {  // straight quotes: the first opens, the next closes
            bool& open = t == "\"" ? double_open : single_open;
            (open ? glue_left : glue_right) = true;
            open = !open;
        } else if (t.size() > 1 && (t[0] == '\'' || t.compare(0, 3, "’") == 0)) {
            glue_left = true;  // a clitic: 's, 't
        }
        if (!out.empty() && !glue_left && !glue_next) out += ' ';
        out += t;
        glue_next = glue_right;
    }
    return out;
}
//! [detokenize]

}  // namespace tfm
