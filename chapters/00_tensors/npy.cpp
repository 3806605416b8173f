// npy.cpp — a strict .npy parser and its writer.
//
// The format (numpy.lib.format): 6 magic bytes "\x93NUMPY", a major and a minor version
// byte, the header length (2 bytes little-endian in version 1, 4 bytes in versions 2
// and 3), the header — an ASCII Python dict padded with spaces and ending in '\n' —
// then the data.
#include "npy.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "text_files.hpp"  // printable: header text echoed in errors

namespace tfm {

const char* dtype_name(DType dtype) {
    switch (dtype) {
        case DType::Float32:
            return "float32";
        case DType::Float16:
            return "float16";
        case DType::Int64:
            return "int64";
        case DType::Bool:
            return "bool";
    }
    return "?";
}

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

std::size_t item_size(DType dtype) {
    switch (dtype) {
        case DType::Float32:
            return 4;
        case DType::Float16:
            return 2;
        case DType::Int64:
            return 8;
        case DType::Bool:
            return 1;
    }
    return 0;
}

const char* descr_of(DType dtype) {
    switch (dtype) {
        case DType::Float32:
            return "<f4";
        case DType::Float16:
            return "<f2";
        case DType::Int64:
            return "<i8";
        case DType::Bool:
            return "|b1";
    }
    return "?";
}

std::uint32_t read_le(const std::string& bytes, std::size_t at, std::size_t width) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < width; ++i) {
        v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    }
    return v;
}

// The header is a Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), }. NumPy reads it with ast.literal_eval and then insists on exactly
// these three keys; this parser accepts exactly that language (strings, True/False,
// tuples of non-negative integers) and nothing else, so garbage, an extra key or a
// '(2,,7)' is an error rather than a guess. As in a Python dict, a repeated key keeps
// its last value.
class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& source) : s_(text), source_(source) {}

    void parse(DType& dtype, bool& fortran_order, std::vector<std::size_t>& shape) {
        bool have_descr = false, have_order = false, have_shape = false;
        skip_space();
        expect('{', "the header must be a Python dict starting with '{'");
        skip_space();
        while (peek() != '}') {
            const std::string key = string_literal("a quoted key");
            skip_space();
            expect(':', "expected ':' after the key '" + printable(key) + "'");
            skip_space();
            if (key == "descr") {
                dtype = parse_descr(string_literal("a quoted dtype for 'descr'"));
                have_descr = true;
            } else if (key == "fortran_order") {
                fortran_order = boolean();
                have_order = true;
            } else if (key == "shape") {
                shape = tuple();
                have_shape = true;
            } else {
                fail("unexpected key '" + printable(key) +
                     "' in the header (NumPy allows descr, fortran_order, shape)");
            }
            skip_space();
            if (peek() == ',') {
                ++i_;
                skip_space();
            } else if (peek() != '}') {
                fail("expected ',' or '}' after the '" + printable(key) + "' entry");
            }
        }
        ++i_;  // '}'
        skip_space();
        if (i_ != s_.size()) fail("unexpected text after the header dict");
        if (!have_descr) fail("header has no 'descr' entry");
        if (!have_order) fail("header has no 'fortran_order' entry");
        if (!have_shape) fail("header has no 'shape' entry");
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw NpyError(source_ + ": malformed header: " + what + " (at character " +
                       std::to_string(i_) + ")");
    }
    char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
    void skip_space() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
            ++i_;
    }
    void expect(char c, const std::string& what) {
        if (peek() != c) fail(what);
        ++i_;
    }
    std::string string_literal(const std::string& what) {
        const char quote = peek();
        if (quote != '\'' && quote != '"') fail("expected " + what);
        const std::size_t end = s_.find(quote, i_ + 1);
        if (end == std::string::npos) fail("unterminated string");
        std::string out = s_.substr(i_ + 1, end - i_ - 1);
        if (out.find('\\') != std::string::npos || out.find('\n') != std::string::npos)
            fail("unexpected escape in a string");
        i_ = end + 1;
        return out;
    }
    bool boolean() {
        if (s_.compare(i_, 4, "True") == 0) {
            i_ += 4;
            return true;
        }
        if (s_.compare(i_, 5, "False") == 0) {
            i_ += 5;
            return false;
        }
        throw NpyError(source_ + ": malformed 'fortran_order' entry (expected True or False)");
    }
    DType parse_descr(const std::string& descr) const {
        if (descr == "<f4") return DType::Float32;
        if (descr == "<f2") return DType::Float16;
        if (descr == "<i8") return DType::Int64;
        if (descr == "|b1") return DType::Bool;
        throw NpyError(source_ + ": unsupported dtype '" + printable(descr) +
                       "' (expected little-endian float32 '<f4', float16 '<f2', int64 '<i8' or "
                       "bool '|b1')");
    }
    // "()", "(3,)", "(2, 3)", "(2, 3,)" — a Python tuple; "(3)" is an int, not a tuple.
    std::vector<std::size_t> tuple() {
        const std::size_t start = i_;
        auto bad = [&]() {
            const std::size_t close = s_.find(')', start);
            throw NpyError(
                source_ + ": malformed 'shape' entry '" +
                printable(s_.substr(start, close == std::string::npos ? 20 : close - start + 1)) +
                "'");
        };
        if (peek() != '(') bad();
        ++i_;
        std::vector<std::size_t> shape;
        bool comma_after_last = false;
        skip_space();
        while (peek() != ')') {
            if (!std::isdigit(static_cast<unsigned char>(peek()))) bad();
            if (peek() == '0' && i_ + 1 < s_.size() &&
                std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))
                bad();
            std::size_t value = 0;
            while (std::isdigit(static_cast<unsigned char>(peek()))) {
                const std::size_t digit = static_cast<std::size_t>(peek() - '0');
                if (value > (SIZE_MAX - digit) / 10)
                    throw NpyError(source_ + ": dimension too large");
                value = value * 10 + digit;
                ++i_;
            }
            shape.push_back(value);
            skip_space();
            comma_after_last = peek() == ',';
            if (comma_after_last) {
                ++i_;
                skip_space();
            } else if (peek() != ')') {
                bad();
            }
        }
        ++i_;                                               // ')'
        if (shape.size() == 1 && !comma_after_last) bad();  // "(3)" is not a tuple
        return shape;
    }

    const std::string& s_;
    const std::string& source_;
    std::size_t i_ = 0;
};

// The largest header we accept. NumPy pads its headers to 64 bytes and version 1.0 caps
// them at 65535; a version 2/3 length beyond this is a corrupt (or hostile) file.
constexpr std::size_t kMaxHeaderBytes = 1 << 20;

// How many bytes the magic, the version and the length field take, from the prefix.
std::size_t header_start_of(const std::string& prefix, const std::string& source) {
    if (prefix.size() < kMagicSize || prefix.compare(0, kMagicSize, kMagic, kMagicSize) != 0) {
        throw NpyError(source + ": not a .npy file (bad magic string)");
    }
    if (prefix.size() < kMagicSize + 2) throw NpyError(source + ": truncated header");
    const int major = static_cast<unsigned char>(prefix[6]),
              minor = static_cast<unsigned char>(prefix[7]);
    if (major < 1 || major > 3 || minor != 0) {
        throw NpyError(source + ": unsupported .npy format version " + std::to_string(major) + "." +
                       std::to_string(minor) + " (NumPy writes 1.0, 2.0 and 3.0)");
    }
    return kMagicSize + 2 + (major == 1 ? 2 : 4);
}

}  // namespace

NpyHeader parse_npy_header(const std::string& prefix, std::size_t file_size,
                           const std::string& source) {
    const std::size_t header_start = header_start_of(prefix, source);
    if (prefix.size() < header_start) throw NpyError(source + ": truncated header");
    const std::size_t header_len = read_le(prefix, kMagicSize + 2, header_start - kMagicSize - 2);
    if (header_len > kMaxHeaderBytes) {
        throw NpyError(source + ": header length " + std::to_string(header_len) +
                       " is implausible (more than " + std::to_string(kMaxHeaderBytes) + " bytes)");
    }
    if (file_size < header_start + header_len || prefix.size() < header_start + header_len) {
        throw NpyError(source + ": truncated header (expected " + std::to_string(header_len) +
                       " bytes, file has " +
                       std::to_string(std::min(file_size, prefix.size()) - header_start) + ")");
    }
    NpyHeader h;
    bool fortran_order = false;
    HeaderParser(prefix.substr(header_start, header_len), source)
        .parse(h.dtype, fortran_order, h.shape);
    if (fortran_order)
        throw NpyError(source + ": Fortran-order arrays are not supported (save with C order)");

    std::size_t count = 1;
    for (std::size_t d : h.shape) {
        if (d != 0 && count > SIZE_MAX / d) throw NpyError(source + ": shape too large");
        count *= d;
    }
    const std::size_t itemsize = item_size(h.dtype);
    if (count > SIZE_MAX / itemsize) throw NpyError(source + ": shape too large");
    h.data_offset = header_start + header_len;
    h.data_bytes = count * itemsize;
    // The declared size against the real one, before anything is allocated: a header
    // that claims 10^12 elements in a 100-byte file costs nothing.
    const std::size_t available = file_size - h.data_offset;
    if (available != h.data_bytes) {
        throw NpyError(
            source + ": " + (available < h.data_bytes ? "truncated data" : "trailing data") +
            ": shape " + shape_to_string(h.shape) + " of " + dtype_name(h.dtype) + " needs " +
            std::to_string(h.data_bytes) + " bytes, file has " + std::to_string(available));
    }
    return h;
}

namespace {

NpyArray array_from(const NpyHeader& h, const char* data, const std::string& source) {
    NpyArray array;
    array.dtype = h.dtype;
    array.shape = h.shape;
    array.data.assign(data, data + h.data_bytes);
    if (array.dtype == DType::Bool) {
        for (char c : array.data) {
            if (c != 0 && c != 1)
                throw NpyError(source + ": bool data holds a byte other than 0 or 1");
        }
    }
    return array;
}

// Opens `path` and reads its header: the magic and version first, then exactly the
// header length they announce (never more than kMaxHeaderBytes).
NpyHeader read_header(std::ifstream& in, const std::string& path, std::size_t size) {
    std::string prefix(std::min<std::size_t>(size, kMagicSize + 6), '\0');
    in.read(prefix.data(), std::streamsize(prefix.size()));
    const std::size_t header_start = header_start_of(prefix, path);
    if (size >= header_start) {
        const std::size_t header_len =
            read_le(prefix, kMagicSize + 2, header_start - kMagicSize - 2);
        const std::size_t want =
            std::min({size, header_start + header_len, header_start + kMaxHeaderBytes + 1});
        const std::size_t have = prefix.size();
        if (want > have) {
            prefix.resize(want);
            in.read(prefix.data() + have, std::streamsize(want - have));
        }
    }
    if (!in) throw NpyError(path + ": read error");
    return parse_npy_header(prefix, size, path);
}

}  // namespace

//! [half precision]
// float32: 1 sign bit, 8 exponent bits (bias 127), 23 fraction bits.
// float16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
std::uint16_t float_to_half(float x) {
    std::uint32_t f;
    std::memcpy(&f, &x, 4);
    const std::uint32_t sign = (f >> 16) & 0x8000u;
    const std::uint32_t magnitude = f & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return std::uint16_t(sign | 0x7e00u);   // NaN stays NaN
    if (magnitude >= 0x47800000u) return std::uint16_t(sign | 0x7c00u);  // ≥ 2^16: ±inf
    if (magnitude < 0x38800000u) {
        // Below the smallest normal half (2^-14): a subnormal half counts units of 2^-24.
        // Shift the float's significand (with its hidden 1) so that one unit of the
        // result is 2^-24, rounding to nearest, ties to even.
        if (magnitude < 0x33000000u) return std::uint16_t(sign);  // ≤ 2^-25: rounds to 0
        const std::uint32_t exponent = magnitude >> 23;           // 102 … 112
        const std::uint32_t significand = (magnitude & 0x7fffffu) | 0x800000u;
        const std::uint32_t shift = 126 - exponent;  // 14 … 24
        const std::uint32_t kept = significand >> shift;
        const std::uint32_t rest = significand & ((1u << shift) - 1);
        const std::uint32_t half_way = 1u << (shift - 1);
        const std::uint32_t rounded =
            kept + ((rest > half_way || (rest == half_way && (kept & 1u))) ? 1u : 0u);
        return std::uint16_t(sign | rounded);
    }
    // A normal half: rebias the exponent (127 → 15) and keep the top 10 fraction bits,
    // rounding on the 13 dropped ones; a carry out of the fraction correctly bumps the
    // exponent (and 65504 < x < 65520 rounds down to 65504, never up to infinity).
    const std::uint32_t rebiased = magnitude - ((127u - 15u) << 23);
    const std::uint32_t kept = rebiased >> 13;
    const std::uint32_t rest = rebiased & 0x1fffu;
    const std::uint32_t rounded =
        kept + ((rest > 0x1000u || (rest == 0x1000u && (kept & 1u))) ? 1u : 0u);
    return std::uint16_t(sign | rounded);
}

float half_to_float(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    const std::uint32_t fraction = h & 0x3ffu;
    std::uint32_t f;
    if (exponent == 0x1f) {
        f = sign | 0x7f800000u | (fraction << 13);  // inf or NaN
    } else if (exponent != 0) {
        f = sign | ((exponent + 127 - 15) << 23) | (fraction << 13);
    } else {
        // Zero or subnormal: fraction · 2^-24, exact in a float.
        const float value = float(fraction) * 5.9604644775390625e-08f;
        std::memcpy(&f, &value, 4);
        f |= sign;
    }
    float out;
    std::memcpy(&out, &f, 4);
    return out;
}
//! [half precision]

void widen_halves(const char* bytes, std::size_t n, float* out) {
    for (std::size_t i = 0; i < n; ++i) {
        const auto lo = static_cast<unsigned char>(bytes[2 * i]);
        const auto hi = static_cast<unsigned char>(bytes[2 * i + 1]);
        out[i] = half_to_float(std::uint16_t(lo | (hi << 8)));
    }
}

std::string format_npy_half(const std::vector<std::size_t>& shape, const float* data, std::size_t n,
                            const std::string& source) {
    std::vector<unsigned char> halves(2 * n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint16_t h = float_to_half(data[i]);
        if (std::isfinite(data[i]) && (h & 0x7c00u) == 0x7c00u) {
            throw NpyError(source + ": element " + std::to_string(i) + " (" +
                           std::to_string(data[i]) +
                           ") is beyond the float16 range (±65504); store it as float32");
        }
        halves[2 * i] = static_cast<unsigned char>(h & 0xffu);
        halves[2 * i + 1] = static_cast<unsigned char>(h >> 8);
    }
    return format_npy(DType::Float16, shape, halves.data(), halves.size());
}

NpyArray parse_npy(const std::string& bytes, const std::string& source) {
    const NpyHeader h = parse_npy_header(bytes, bytes.size(), source);
    return array_from(h, bytes.data() + h.data_offset, source);
}

NpyHeader read_npy_header(const std::string& path) {
    const std::size_t size = regular_file_size(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileError(path + ": cannot open: " + std::strerror(errno));
    return read_header(in, path, size);
}

NpyArray read_npy(const std::string& path) {
    const std::size_t size = regular_file_size(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FileError(path + ": cannot open: " + std::strerror(errno));
    const NpyHeader h = read_header(in, path, size);
    // Only now, with the size known to match the file, the data.
    std::vector<char> data(h.data_bytes);
    in.seekg(std::streamoff(h.data_offset));
    in.read(data.data(), std::streamsize(data.size()));
    if (std::size_t(in.gcount()) != data.size())
        throw NpyError(path + ": read error (did the file change?)");
    return array_from(h, data.data(), path);
}

std::string format_npy(DType dtype, const std::vector<std::size_t>& shape, const void* data,
                       std::size_t nbytes) {
    std::string dict =
        std::string("{'descr': '") + descr_of(dtype) + "', 'fortran_order': False, 'shape': (";
    // Python tuple syntax: "()", "(3,)", "(2, 3)".
    for (std::size_t i = 0; i < shape.size(); ++i) {
        dict += std::to_string(shape[i]);
        if (shape.size() == 1) dict += ",";
        if (i + 1 < shape.size()) dict += ", ";
    }
    dict += ")";
    dict += ", }";
    // Pad with spaces so that magic + version + length + header is a multiple of 64,
    // as NumPy does, and end with a newline.
    const std::size_t prefix = kMagicSize + 2 + 2;
    std::size_t total = prefix + dict.size() + 1;
    dict.append((64 - total % 64) % 64, ' ');
    dict += '\n';
    if (dict.size() > 65535) throw NpyError("format_npy: header too long for version 1.0");

    std::string out(kMagic, kMagicSize);
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(dict.size() & 0xff);
    out += static_cast<char>((dict.size() >> 8) & 0xff);
    out += dict;
    out.append(static_cast<const char*>(data), nbytes);
    return out;
}

}  // namespace tfm
