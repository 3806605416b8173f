// positional_encoding.cpp — the sinusoid table, and adding it.
#include "positional_encoding.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "00_tensors/shapes.hpp"

namespace tfm {

//! [positional table]
Tensor<2> positional_table(std::size_t max_len, std::size_t d_model) {
    if (d_model == 0 || d_model % 2 != 0) {
        throw std::invalid_argument(
            "positional encoding: d_model must be even (sin/cos pairs), got " +
            std::to_string(d_model));
    }
    Tensor<2> pe_LC = xt::zeros<float>({max_len, d_model});
    // The Annotated Transformer's div_term, in float32 as PyTorch computes it:
    // exp(2i · −ln(10000)/C) = 1 / 10000^(2i/C), one frequency per sin/cos pair.
    const float log_step = -(std::log(10000.0f) / static_cast<float>(d_model));
    for (std::size_t i = 0; i < d_model / 2; ++i) {
        const float div_term = std::exp(static_cast<float>(2 * i) * log_step);
        for (std::size_t pos = 0; pos < max_len; ++pos) {
            const float angle = static_cast<float>(pos) * div_term;
            pe_LC(pos, 2 * i) = std::sin(angle);      // even channels: sine
            pe_LC(pos, 2 * i + 1) = std::cos(angle);  // odd channels: cosine
        }
    }
    return pe_LC;
}
//! [positional table]

PositionalEncoding::PositionalEncoding(std::size_t d_model, float dropout, Rng& rng,
                                       std::size_t max_len)
    : pe_LC_(positional_table(max_len, d_model)), dropout_(dropout, rng) {}

//! [positional forward]
Tensor<3> PositionalEncoding::forward(const Tensor<3>& x_BLC) {
    const std::size_t B = x_BLC.shape()[0], L = x_BLC.shape()[1], C = pe_LC_.shape()[1];
    if (x_BLC.shape()[2] != C) {
        throw ShapeError("PositionalEncoding x_BLC: expected shape [*, *, " + std::to_string(C) +
                         "], got " + shape_to_string(x_BLC.shape()));
    }
    if (L > max_len()) {
        throw std::length_error("PositionalEncoding: sequence length " + std::to_string(L) +
                                " exceeds the table's maximum length " + std::to_string(max_len()));
    }
    Tensor<3> y_BLC = Tensor<3>::from_shape({B, L, C});
    for (std::size_t b = 0; b < B; ++b) {
        // Row l of the table is added to position l of every sequence: the first L rows.
        const float* x = x_BLC.data() + b * L * C;
        float* y = y_BLC.data() + b * L * C;
        const float* pe = pe_LC_.data();
        for (std::size_t i = 0; i < L * C; ++i) y[i] = x[i] + pe[i];
    }
    dropout_.forward_inplace(y_BLC.data(), y_BLC.size());
    return y_BLC;
}
//! [positional forward]

Tensor<3> PositionalEncoding::backward(const Tensor<3>& dy_BLC) {
    return dropout_.backward(dy_BLC);
}

}  // namespace tfm
