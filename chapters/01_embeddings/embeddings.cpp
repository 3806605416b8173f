// embeddings.cpp — lookup with scaling, and the scatter-add backward.
#include "embeddings.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "00_tensors/shapes.hpp"

namespace tfm {

Embeddings::Embeddings(std::size_t vocab, std::size_t d_model, Rng& rng, const std::string& prefix,
                       bool scale_by_sqrt_c)
    : lut(prefix + "lut.weight", {vocab, d_model}),
      vocab_(vocab),
      d_model_(d_model),
      scale_(scale_by_sqrt_c ? std::sqrt(static_cast<float>(d_model)) : 1.0f) {
    fill_normal(lut.value, 0.0f, 1.0f, rng);
}

void Embeddings::share(Parameter& shared) {
    check_shape("shared embedding table " + shared.name, shared.value,
                {std::ptrdiff_t(vocab_), std::ptrdiff_t(d_model_)});
    shared_ = &shared;
    lut.value = xt::xarray<float>::from_shape({0});
    lut.grad = xt::xarray<float>::from_shape({0});
}

void check_token_ids(const xt::xtensor<std::int64_t, 2>& ids_BL, std::size_t vocab,
                     const std::string& what) {
    for (std::size_t b = 0; b < ids_BL.shape()[0]; ++b) {
        for (std::size_t l = 0; l < ids_BL.shape()[1]; ++l) {
            const std::int64_t id = ids_BL(b, l);
            if (id < 0 || static_cast<std::uint64_t>(id) >= vocab) {
                throw std::out_of_range(what + ": token id " + std::to_string(id) + " at [" +
                                        std::to_string(b) + ", " + std::to_string(l) +
                                        "] is outside the vocabulary [0, " + std::to_string(vocab) +
                                        ")");
            }
        }
    }
}

//! [embedding forward]
Tensor<3> Embeddings::forward(const xt::xtensor<std::int64_t, 2>& ids_BL) {
    check_token_ids(ids_BL, vocab_, "Embeddings");
    ids_BL_ = ids_BL;
    const std::size_t B = ids_BL.shape()[0], L = ids_BL.shape()[1], C = d_model_;
    Tensor<3> x_BLC = Tensor<3>::from_shape({B, L, C});
    const float* lut_VC = table().value.data();
    for (std::size_t t = 0; t < B * L; ++t) {  // every position at once: no recurrence
        const float* row_C = lut_VC + static_cast<std::size_t>(ids_BL.data()[t]) * C;
        float* out_C = x_BLC.data() + t * C;
        for (std::size_t c = 0; c < C; ++c) out_C[c] = row_C[c] * scale_;
    }
    return x_BLC;
}
//! [embedding forward]

//! [embedding backward]
void Embeddings::backward(const Tensor<3>& dx_BLC) {
    check_shape("Embeddings backward dx_BLC", dx_BLC,
                {std::ptrdiff_t(ids_BL_.shape()[0]), std::ptrdiff_t(ids_BL_.shape()[1]),
                 std::ptrdiff_t(d_model_)});
    const std::size_t C = d_model_;
    float* dlut_VC = table().grad.data();
    for (std::size_t t = 0; t < ids_BL_.size(); ++t) {
        // Scatter-add: a repeated token accumulates the gradient of every occurrence.
        float* grad_row_C = dlut_VC + static_cast<std::size_t>(ids_BL_.data()[t]) * C;
        const float* dx_C = dx_BLC.data() + t * C;
        for (std::size_t c = 0; c < C; ++c) grad_row_C[c] += scale_ * dx_C[c];
    }
}
//! [embedding backward]

}  // namespace tfm
