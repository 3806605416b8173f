// linear.hpp — the first forward/backward pair: a fully connected layer.
//
// PyTorch's nn.Linear, with its layout and names: weight [out, in], bias [out], and
//
//     y = x · Wᵀ + b          for every row x of the input.
//
// The input may have any number of leading dimensions ([R, in], [B, L, in], ...); they
// are all rows to the layer, so a [B, L, C] activation is viewed as a [B·L, C] matrix
// and the whole layer is one sgemm. Shape letters: R rows, I in_features, O
// out_features.
//
// Backward, with dy = ∂L/∂y ([R, O]):
//     ∂L/∂x = dy · W            [R, O]·[O, I] → [R, I]
//     ∂L/∂W += dyᵀ · x          [O, R]·[R, I] → [O, I]
//     ∂L/∂b += Σ_rows dy        [O]
// Each follows from y_rj = Σ_i x_ri W_ji + b_j by differentiating one entry at a time.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "parameter.hpp"
#include "random.hpp"
#include "shapes.hpp"

namespace tfm {

class Linear {
public:
    /// Builds the layer with nn.Linear's default initialisation, U(±1/√in) for weight
    /// and bias. `prefix` is its state_dict path, e.g. "generator.proj." gives
    /// "generator.proj.weight" and "generator.proj.bias". With `with_bias` false the layer
    /// is y = x·Wᵀ and has no bias parameter (nn.Linear(bias=False); chapter 12).
    Linear(std::size_t in_features, std::size_t out_features, Rng& rng,
           const std::string& prefix = "", bool with_bias = true);

    std::size_t in_features() const { return in_features_; }
    std::size_t out_features() const { return out_features_; }

    /// y = x·Wᵀ + b over the last axis; keeps x for backward.
    template <std::size_t N>
    Tensor<N> forward(const Tensor<N>& x) {
        static_assert(N >= 1, "Linear needs at least one dimension");
        check_last_dim("Linear input", x.shape()[N - 1], in_features_, x.shape());
        auto shape = x.shape();
        shape[N - 1] = out_features_;
        Tensor<N> y(shape);
        forward_rows(x.data(), x.size() / in_features_, y.data());
        return y;
    }

    /// Given dy = ∂L/∂y, accumulates ∂L/∂W and ∂L/∂b and returns ∂L/∂x.
    template <std::size_t N>
    Tensor<N> backward(const Tensor<N>& dy) {
        check_last_dim("Linear upstream gradient", dy.shape()[N - 1], out_features_, dy.shape());
        auto shape = dy.shape();
        shape[N - 1] = in_features_;
        Tensor<N> dx(shape);
        backward_rows(dy.data(), dy.size() / out_features_, dx.data());
        return dx;
    }

    /// The core on raw row-major buffers: x [rows, I] → y [rows, O].
    void forward_rows(const float* x_RI, std::size_t rows, float* y_RO);
    /// dy [rows, O] → dx [rows, I]; `rows` must match the last forward.
    void backward_rows(const float* dy_RO, std::size_t rows, float* dx_RI);

    /// For one input read by several layers (self-attention's x, read by W_Q, W_K and W_V):
    /// y = x·Wᵀ + b without keeping x — the caller keeps it, or another layer does.
    void project_rows(const float* x_RI, std::size_t rows, float* y_RO);
    /// Backward for such a layer, given its input x [rows, I]: accumulates ∂L/∂W and ∂L/∂b
    /// and writes dx = dy·W, or adds it to dx with `add_to_dx` (the input's gradient
    /// summed over the layers that read it, inside the product: no extra pass).
    void backward_rows_given_input(const float* x_RI, const float* dy_RO, std::size_t rows,
                                   float* dx_RI, bool add_to_dx);
    /// The input the last forward_rows kept, [rows, I].
    const float* kept_input() const { return x_cache_RI_.data(); }

    ParameterList parameters() {
        if (has_bias_) return {&W(), &bias};
        return {&W()};
    }
    bool has_bias() const { return has_bias_; }

    /// Uses `shared` ([O, I], owned elsewhere, at a stable address) as the weight instead
    /// of `weight`, whose storage is released: weight tying (chapter 10). Backward adds
    /// into the shared gradient like every other use of it.
    void share_weight(Parameter& shared);
    /// The weight in use: `weight`, or the shared one.
    Parameter& W() { return shared_weight_ != nullptr ? *shared_weight_ : weight; }

    Parameter weight;  ///< [O, I] (empty when shared)
    Parameter bias;    ///< [O] (empty without a bias)

private:
    template <class Shape>
    static void check_last_dim(const std::string& what, std::size_t got, std::size_t want,
                               const Shape& shape) {
        if (got != want) {
            throw ShapeError(what + ": expected last dimension " + std::to_string(want) + ", got " +
                             std::to_string(got) + " in shape " + shape_to_string(shape));
        }
    }

    std::size_t in_features_;
    std::size_t out_features_;
    bool has_bias_;
    std::vector<float> x_cache_RI_;  ///< the last input, needed for ∂L/∂W
    std::size_t cached_rows_ = 0;
    Parameter* shared_weight_ = nullptr;
};

}  // namespace tfm
