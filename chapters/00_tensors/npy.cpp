// npy.cpp — a strict .npy parser and an atomic writer.
//
// The format (numpy.lib.format): 6 magic bytes "\x93NUMPY", a major and a minor version
// byte, the header length (2 bytes little-endian in version 1, 4 bytes in versions 2
// and 3), the header — an ASCII Python dict padded with spaces and ending in '\n' —
// then the data.
#include "npy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <fstream>
#include <sstream>

namespace tfm {

const char* dtype_name(DType dtype) {
    switch (dtype) {
        case DType::Float32: return "float32";
        case DType::Int64: return "int64";
        case DType::Bool: return "bool";
    }
    return "?";
}

namespace {

const char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

std::size_t item_size(DType dtype) {
    switch (dtype) {
        case DType::Float32: return 4;
        case DType::Int64: return 8;
        case DType::Bool: return 1;
    }
    return 0;
}

const char* descr_of(DType dtype) {
    switch (dtype) {
        case DType::Float32: return "<f4";
        case DType::Int64: return "<i8";
        case DType::Bool: return "|b1";
    }
    return "?";
}

// The header is a Python dict literal; we need three of its values. This finds the text
// after `'key':` and fails clearly when the key is missing.
std::size_t find_value(const std::string& header, const std::string& key,
                       const std::string& source) {
    const std::string quoted = "'" + key + "'";
    const std::size_t at = header.find(quoted);
    if (at == std::string::npos) throw NpyError(source + ": header has no '" + key + "' entry");
    std::size_t pos = header.find(':', at + quoted.size());
    if (pos == std::string::npos) throw NpyError(source + ": malformed '" + key + "' entry");
    ++pos;
    while (pos < header.size() && std::isspace(static_cast<unsigned char>(header[pos]))) ++pos;
    return pos;
}

DType parse_descr(const std::string& header, const std::string& source) {
    std::size_t pos = find_value(header, "descr", source);
    if (pos >= header.size() || (header[pos] != '\'' && header[pos] != '"')) {
        throw NpyError(source + ": malformed 'descr' entry");
    }
    const char quote = header[pos];
    const std::size_t end = header.find(quote, pos + 1);
    if (end == std::string::npos) throw NpyError(source + ": malformed 'descr' entry");
    const std::string descr = header.substr(pos + 1, end - pos - 1);
    if (descr == "<f4") return DType::Float32;
    if (descr == "<i8") return DType::Int64;
    if (descr == "|b1") return DType::Bool;
    throw NpyError(source + ": unsupported dtype '" + descr +
                   "' (expected little-endian float32 '<f4', int64 '<i8' or bool '|b1')");
}

bool parse_fortran_order(const std::string& header, const std::string& source) {
    const std::size_t pos = find_value(header, "fortran_order", source);
    if (header.compare(pos, 4, "True") == 0) return true;
    if (header.compare(pos, 5, "False") == 0) return false;
    throw NpyError(source + ": malformed 'fortran_order' entry");
}

std::vector<std::size_t> parse_shape(const std::string& header, const std::string& source) {
    std::size_t pos = find_value(header, "shape", source);
    if (pos >= header.size() || header[pos] != '(') throw NpyError(source + ": malformed 'shape' entry");
    const std::size_t end = header.find(')', pos);
    if (end == std::string::npos) throw NpyError(source + ": malformed 'shape' entry");
    std::vector<std::size_t> shape;
    std::size_t i = pos + 1;
    while (i < end) {
        while (i < end && (std::isspace(static_cast<unsigned char>(header[i])) || header[i] == ',')) ++i;
        if (i >= end) break;
        if (!std::isdigit(static_cast<unsigned char>(header[i]))) {
            throw NpyError(source + ": malformed 'shape' entry '" + header.substr(pos, end - pos + 1) + "'");
        }
        std::size_t value = 0;
        while (i < end && std::isdigit(static_cast<unsigned char>(header[i]))) {
            const std::size_t digit = static_cast<std::size_t>(header[i] - '0');
            if (value > (SIZE_MAX - digit) / 10) throw NpyError(source + ": dimension too large");
            value = value * 10 + digit;
            ++i;
        }
        shape.push_back(value);
    }
    return shape;
}

std::uint32_t read_le(const std::string& bytes, std::size_t at, std::size_t width) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < width; ++i) {
        v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
    }
    return v;
}

}  // namespace

NpyArray parse_npy(const std::string& bytes, const std::string& source) {
    if (bytes.size() < kMagicSize + 2 || bytes.compare(0, kMagicSize, kMagic, kMagicSize) != 0) {
        throw NpyError(source + ": not a .npy file (bad magic string)");
    }
    const int major = static_cast<unsigned char>(bytes[6]);
    if (major < 1 || major > 3) {
        throw NpyError(source + ": unsupported .npy format version " + std::to_string(major));
    }
    const std::size_t len_width = major == 1 ? 2 : 4;
    const std::size_t header_start = kMagicSize + 2 + len_width;
    if (bytes.size() < header_start) throw NpyError(source + ": truncated header");
    const std::size_t header_len = read_le(bytes, kMagicSize + 2, len_width);
    if (bytes.size() < header_start + header_len) {
        throw NpyError(source + ": truncated header (expected " + std::to_string(header_len) +
                       " bytes, file has " + std::to_string(bytes.size() - header_start) + ")");
    }
    const std::string header = bytes.substr(header_start, header_len);

    NpyArray array;
    array.dtype = parse_descr(header, source);
    if (parse_fortran_order(header, source)) {
        throw NpyError(source + ": Fortran-order arrays are not supported (save with C order)");
    }
    array.shape = parse_shape(header, source);

    std::size_t count = 1;
    for (std::size_t d : array.shape) {
        if (d != 0 && count > SIZE_MAX / d) throw NpyError(source + ": shape too large");
        count *= d;
    }
    const std::size_t itemsize = item_size(array.dtype);
    if (count > SIZE_MAX / itemsize) throw NpyError(source + ": shape too large");
    const std::size_t expected = count * itemsize;
    const std::size_t available = bytes.size() - header_start - header_len;
    if (available != expected) {
        throw NpyError(source + ": " + (available < expected ? "truncated data" : "trailing data") +
                       ": shape " + shape_to_string(array.shape) + " of " +
                       dtype_name(array.dtype) + " needs " + std::to_string(expected) +
                       " bytes, file has " + std::to_string(available));
    }
    array.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header_start + header_len),
                      bytes.end());
    if (array.dtype == DType::Bool) {
        for (char c : array.data) {
            if (c != 0 && c != 1) throw NpyError(source + ": bool data holds a byte other than 0 or 1");
        }
    }
    return array;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw NpyError(path + ": cannot open file");
    std::ostringstream contents;
    contents << in.rdbuf();
    if (in.bad()) throw NpyError(path + ": read error");
    return contents.str();
}

NpyArray read_npy(const std::string& path) { return parse_npy(read_file(path), path); }

std::string format_npy(DType dtype, const std::vector<std::size_t>& shape, const void* data,
                       std::size_t nbytes) {
    std::string dict = std::string("{'descr': '") + descr_of(dtype) +
                       "', 'fortran_order': False, 'shape': (";
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

void write_file_atomically(const std::string& path, const std::string& bytes) {
    static std::atomic<unsigned> counter{0};
    const std::string tmp =
        path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw NpyError(path + ": cannot create file: " + std::strerror(errno));
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw NpyError(path + ": write failed: " + std::strerror(err));
        }
        written += static_cast<std::size_t>(n);
    }
    // fsync before rename: otherwise a power cut can leave the new name on an empty file.
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw NpyError(path + ": write failed: " + std::strerror(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw NpyError(path + ": cannot rename temporary file into place: " + std::strerror(err));
    }
}

}  // namespace tfm
