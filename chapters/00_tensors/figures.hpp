// figures.hpp — writing the numbers behind the book's figures.
//
// Chapters draw their figures in two steps: the chapter's own program writes the numbers
// as plain whitespace-separated text (`ch02_positional_encoding --figures DIR`), then a
// gnuplot script beside the chapter turns them into an SVG for the docs site
// (cmake/figures.cmake wires both into the `docs` target). Keeping the numbers in files
// means a reader can plot them with any tool they like.
#pragma once

#include <cstddef>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tfm {

/// Writes a 2-D tensor as rows of numbers (gnuplot's `matrix` format): row r of the
/// file is row r of the tensor.
template <class Matrix>
void write_matrix_data(const std::string& path, const Matrix& m) {
    if (m.dimension() != 2)
        throw std::invalid_argument(path + ": write_matrix_data needs a 2-D tensor");
    std::ofstream out(path);
    if (!out) throw std::runtime_error(path + ": cannot create figure data file");
    for (std::size_t r = 0; r < m.shape()[0]; ++r) {
        for (std::size_t c = 0; c < m.shape()[1]; ++c) out << (c ? " " : "") << m(r, c);
        out << '\n';
    }
    if (!out) throw std::runtime_error(path + ": write failed");
}

/// Writes labels one per line (e.g. the tokens along a heatmap's axes).
inline void write_lines(const std::string& path, const std::vector<std::string>& lines) {
    std::ofstream out(path);
    if (!out) throw std::runtime_error(path + ": cannot create figure data file");
    for (const auto& line : lines) out << line << '\n';
    if (!out) throw std::runtime_error(path + ": write failed");
}

}  // namespace tfm
