// shapes.hpp — the shape-suffix key and shape checks that fail loudly.
//
// Every tensor in this book carries its shape in its name, one capital letter per
// dimension (after Noam Shazeer's "Shape Suffixes"):
//
//   B  batch size                       H  number of attention heads
//   L  length of the query sequence     K  size of one head, d_k = C / H
//   M  length of the memory attended to F  feed-forward hidden size, d_ff
//   C  channels, d_model                V  vocabulary size
//   X  1 or L (a mask row shared by every query, or one per query)
//   T  a whole sequence, L + 1 (before it is split into input and labels)
//   1  a dimension of size 1: one mask row shared by every query (mask_B1M), or one
//      position (logp_B1V)
//   R  rows: B·L for a Linear, or sentences × beams (chapter 11)
//   I, O  a Linear's input and output features
//   G  groups of heads sharing one key and value head
//   A  the hidden size of additive attention
//   N  layers in each stack (a letter of the model, a dimension of no tensor)
//
// (chapter 00's page holds the key, and the letters formulas use instead where a
// suffix letter would clash, e.g. d_k for the head size, |V| for the vocabulary size)
// so `x_BLC` is a [batch, length, channels] tensor and `w_CF` a [C, F] matrix. The
// names document the maths; the checks below enforce it at run time, with an error
// that names the tensor, the shape it should have had and the shape it had.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

namespace tfm {

/// A float tensor of fixed rank N: `Tensor<3> x_BLC` is an `xt::xtensor<float, 3>`. Every
/// activation and gradient in the book is one; the short name keeps signatures on a line.
template <std::size_t N>
using Tensor = xt::xtensor<float, N>;

/// Thrown when a tensor does not have the shape a function needs.
class ShapeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// A dimension in an expected shape that may take any size.
inline constexpr std::ptrdiff_t kAny = -1;

/// Formats a shape as `[2, 3, 4]`; `kAny` entries print as `*`.
template <class Shape>
std::string shape_to_string(const Shape& shape) {
    std::ostringstream out;
    out << '[';
    bool first = true;
    for (auto d : shape) {
        if (!first) out << ", ";
        first = false;
        if (static_cast<std::ptrdiff_t>(d) == kAny) {
            out << '*';
        } else {
            out << d;
        }
    }
    out << ']';
    return out.str();
}

/// Checks that `tensor` has exactly the shape `expected` (use `kAny` for a free
/// dimension) and throws a ShapeError naming the tensor otherwise:
///
///     q_BHLK: expected shape [2, 8, 10, 64], got [2, 8, 10, 32]
template <class Tensor>
void check_shape(const std::string& name, const Tensor& tensor,
                 std::initializer_list<std::ptrdiff_t> expected) {
    const auto& actual = tensor.shape();
    bool ok = actual.size() == expected.size();
    if (ok) {
        std::size_t i = 0;
        for (auto want : expected) {
            if (want != kAny && static_cast<std::ptrdiff_t>(actual[i]) != want) ok = false;
            ++i;
        }
    }
    if (!ok) {
        throw ShapeError(name + ": expected shape " + shape_to_string(expected) + ", got " +
                         shape_to_string(actual));
    }
}

/// Checks that a tensor has `rank` dimensions (for functions that accept any sizes).
template <class Tensor>
void check_rank(const std::string& name, const Tensor& tensor, std::size_t rank) {
    if (tensor.dimension() != rank) {
        throw ShapeError(name + ": expected " + std::to_string(rank) + " dimensions, got " +
                         std::to_string(tensor.dimension()) + " with shape " +
                         shape_to_string(tensor.shape()));
    }
}

/// Checks that two sizes that must agree do agree, e.g. the inner dimensions of a product.
inline void check_size(const std::string& what, std::size_t expected, std::size_t actual) {
    if (expected != actual) {
        throw ShapeError(what + ": expected " + std::to_string(expected) + ", got " +
                         std::to_string(actual));
    }
}

}  // namespace tfm
