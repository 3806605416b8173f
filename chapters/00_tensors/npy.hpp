// npy.hpp — reading and writing NumPy's .npy files (float32, float16, int64, bool).
//
// .npy is the simplest interchange format between this book and PyTorch/NumPy: a magic
// string, a little Python-dict header ({'descr': '<f4', 'fortran_order': False,
// 'shape': (2, 3), }) and the raw little-endian data. The reference fixtures the tests
// compare against are .npy files written by PyTorch, and chapter 07's checkpoints are a
// directory of them.
//
// xtensor ships xt::load_npy, but it trusts its input; a truncated or mistyped file
// must give a clear error instead (a checkpoint is user input), so this reader parses
// the header dictionary exactly as NumPy defines it, checks the declared size against
// the file's size *before* it allocates anything, and names what is wrong, the file,
// and what it expected. Writes go through files.hpp: a temporary file renamed into
// place, so a crash mid-write never leaves a half-written file behind.
//
// float16 (NumPy's '<f2') halves the size of a model's weights on disk: the book's
// trained models are shipped that way. A half has 1 sign bit, 5 exponent bits and 10
// fraction bits, so it keeps about three significant decimal digits and reaches ±65504.
// Readers widen it to float32 exactly (every half is a float); writers round each float
// to the nearest half, ties to even, as NumPy's astype(np.float16) does.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xarray.hpp>
#include <xtensor/xtensor.hpp>

#include "files.hpp"
#include "shapes.hpp"

namespace tfm {

/// Thrown for malformed .npy files; the message names the file. (A file that cannot be
/// read at all is a FileError, of which this is a kind.)
class NpyError : public FileError {
public:
    using FileError::FileError;
};

/// The element types the book stores.
enum class DType { Float32, Float16, Int64, Bool };

/// NumPy's name for a dtype: "float32", "float16", "int64", "bool".
const char* dtype_name(DType dtype);

/// The dtype that matches a C++ element type.
template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() {
    return DType::Float32;
}
template <>
constexpr DType dtype_of<std::int64_t>() {
    return DType::Int64;
}
template <>
constexpr DType dtype_of<bool>() {
    return DType::Bool;
}

/// IEEE 754 half precision, as its 16 bits: the float nearest to `x` (ties to even), and
/// back. float_to_half of a value beyond ±65504 gives ±infinity, as NumPy does.
std::uint16_t float_to_half(float x);
float half_to_float(std::uint16_t h);

/// A parsed .npy file: its dtype, its shape and its raw (little-endian) bytes.
struct NpyArray {
    DType dtype = DType::Float32;
    std::vector<std::size_t> shape;
    std::vector<char> data;
};

/// What a .npy header declares, and where its data starts.
struct NpyHeader {
    DType dtype = DType::Float32;
    std::vector<std::size_t> shape;
    std::size_t data_offset = 0;  ///< bytes before the data
    std::size_t data_bytes = 0;   ///< bytes the shape and dtype need
};

/// Parses the header at the start of `prefix` (the first bytes of a file of `file_size`
/// bytes) and checks that the file holds exactly the data it declares. `prefix` may be
/// shorter than the header: the error then says the header is truncated.
NpyHeader parse_npy_header(const std::string& prefix, std::size_t file_size,
                           const std::string& source);

/// Parses the bytes of a whole .npy file; `source` names it in error messages.
NpyArray parse_npy(const std::string& bytes, const std::string& source);

/// Reads a .npy file: the header first, the data only once the header, the dtype, the
/// shape and the file's size all agree.
NpyArray read_npy(const std::string& path);

/// Reads only the header of a .npy file (and checks it against the file's size).
NpyHeader read_npy_header(const std::string& path);

/// Serialises an array (header version 1.0, C order) to the bytes of a .npy file.
std::string format_npy(DType dtype, const std::vector<std::size_t>& shape, const void* data,
                       std::size_t nbytes);

/// Widens `n` little-endian halves at `bytes` into floats.
void widen_halves(const char* bytes, std::size_t n, float* out);

/// Copies a parsed array into a typed tensor after checking its dtype and rank; float16
/// data is widened when the tensor holds floats.
template <class T, class Tensor>
Tensor npy_to_tensor(const NpyArray& array, const std::string& source, std::size_t rank) {
    const bool widen = std::is_same_v<T, float> && array.dtype == DType::Float16;
    if (array.dtype != dtype_of<T>() && !widen) {
        throw NpyError(source + ": expected dtype " + dtype_name(dtype_of<T>()) + ", got " +
                       dtype_name(array.dtype));
    }
    if (array.shape.size() != rank) {
        throw NpyError(source + ": expected " + std::to_string(rank) + " dimensions, got " +
                       std::to_string(array.shape.size()) + " with shape " +
                       shape_to_string(array.shape));
    }
    Tensor tensor = Tensor::from_shape(array.shape);
    if constexpr (std::is_same_v<T, float>) {
        if (widen) {
            widen_halves(array.data.data(), tensor.size(), tensor.data());
            return tensor;
        }
    }
    if (!array.data.empty()) std::memcpy(tensor.data(), array.data.data(), array.data.size());
    return tensor;
}

/// Loads a .npy file into an `xt::xtensor<T, N>`; a wrong dtype or rank is an error.
template <class T, std::size_t N>
xt::xtensor<T, N> load_npy(const std::string& path) {
    return npy_to_tensor<T, xt::xtensor<T, N>>(read_npy(path), path, N);
}

/// Loads a .npy file of any rank into an `xt::xarray<T>`; a wrong dtype is an error.
template <class T>
xt::xarray<T> load_npy_array(const std::string& path) {
    NpyArray array = read_npy(path);
    const std::size_t rank = array.shape.size();
    return npy_to_tensor<T, xt::xarray<T>>(array, path, rank);
}

/// The bytes of a .npy file holding `n` floats rounded to float16. A finite value
/// beyond the half range (±65504) is an NpyError naming `source` and the element:
/// rounding it to infinity would corrupt a model silently.
std::string format_npy_half(const std::vector<std::size_t>& shape, const float* data, std::size_t n,
                            const std::string& source);

/// Saves a contiguous row-major tensor of float, int64_t or bool.
template <class Tensor>
void save_npy(const std::string& path, const Tensor& tensor) {
    using T = typename Tensor::value_type;
    const std::vector<std::size_t> shape(tensor.shape().begin(), tensor.shape().end());
    write_file_atomically(
        path, format_npy(dtype_of<T>(), shape, tensor.data(), tensor.size() * sizeof(T)));
}

}  // namespace tfm
