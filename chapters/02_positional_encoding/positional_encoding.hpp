// positional_encoding.hpp — sinusoidal positional encoding (chapter 02).
//
// Attention treats its input as a set: permute the positions and its outputs permute the
// same way (chapter 03 proves it in a test). Word order would be lost. The paper's fix
// (§3.5) is to add to each embedding a vector that depends only on its position:
//
//     PE[pos, 2i]   = sin(pos / 10000^(2i/C))
//     PE[pos, 2i+1] = cos(pos / 10000^(2i/C))
//
// computed exactly as the Annotated Transformer does, in float32: a table of max_len
// positions (5000 by default) built once, of which the first L rows are added to a
// [B, L, C] input, followed by dropout:
//
//     y = dropout(x + PE[:L])
//
// The table is a constant buffer (`src_embed.1.pe` in a PyTorch state_dict), not a
// parameter: backward is only dropout's backward.
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "dropout.hpp"

namespace tfm {

/// The [max_len, d_model] sinusoid table; d_model must be even.
Tensor<2> positional_table(std::size_t max_len, std::size_t d_model);

class PositionalEncoding {
public:
    PositionalEncoding(std::size_t d_model, float dropout, Rng& rng, std::size_t max_len = 5000);

    /// y_BLC = dropout(x_BLC + PE[:L]); L beyond max_len is an error naming both.
    Tensor<3> forward(const Tensor<3>& x_BLC);
    /// ∂L/∂x = dropout's backward of ∂L/∂y (the table is a constant).
    Tensor<3> backward(const Tensor<3>& dy_BLC);

    void train(bool training) { dropout_.train(training); }
    const Tensor<2>& table() const { return pe_LC_; }
    std::size_t max_len() const { return pe_LC_.shape()[0]; }

private:
    Tensor<2> pe_LC_;  ///< [max_len, C]
    Dropout dropout_;
};

}  // namespace tfm
