// figures.hpp — writing the numbers behind the book's figures.
//
// Chapters draw their figures in two steps: the chapter's own program writes the numbers
// as plain whitespace-separated text (`ch02_positional_encoding --figures DIR`), then a
// gnuplot script beside the chapter turns them into an SVG for the docs site
// (cmake/figures.cmake wires both into the `docs` target). Keeping the numbers in files
// means a reader can plot them with any tool they like. Each file is written whole or not
// at all (write_file_atomically), so a full disk is an error, never a truncated figure.
#pragma once

#include <cstddef>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "files.hpp"

namespace tfm {

/// Writes a 2-D tensor as rows of numbers (gnuplot's `matrix` format): row r of the
/// file is row r of the tensor.
template <class Matrix>
void write_matrix_data(const std::string& path, const Matrix& m) {
    if (m.dimension() != 2)
        throw std::invalid_argument(path + ": write_matrix_data needs a 2-D tensor");
    std::ostringstream out;
    for (std::size_t r = 0; r < m.shape()[0]; ++r) {
        for (std::size_t c = 0; c < m.shape()[1]; ++c) out << (c ? " " : "") << m(r, c);
        out << '\n';
    }
    write_file_atomically(path, out.str());
}

/// Copies the numbers a chapter commits with itself (its measured runs, which take most
/// of an hour to make) from `results` into `figures`: every regular file there, or only
/// those in `names`. Each is written atomically, like the figures a program computes.
inline void copy_figure_data(const std::string& results, const std::string& figures,
                             const std::vector<std::string>& names = {}) {
    std::vector<std::string> copied = names;
    if (copied.empty()) {
        for (const auto& e : std::filesystem::directory_iterator(results))
            if (e.is_regular_file()) copied.push_back(e.path().filename().string());
    }
    for (const std::string& name : copied)
        write_file_atomically(figures + "/" + name, read_file(results + "/" + name));
}

/// Writes labels one per line (e.g. the tokens along a heatmap's axes).
inline void write_lines(const std::string& path, const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + '\n';
    write_file_atomically(path, text);
}

}  // namespace tfm
