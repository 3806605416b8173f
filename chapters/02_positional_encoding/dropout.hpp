// dropout.hpp — inverted dropout, seeded, with a backward that reuses its mask.
//
// During training, dropout zeroes each activation with probability p and scales the
// survivors by 1/(1−p), so that the expected value of every activation is unchanged
// ("inverted" dropout: nothing needs rescaling at evaluation time). In evaluation mode
// it is the identity. It first appears here, on the sum of the embeddings and the
// positional encoding; chapter 03 applies it to the attention weights, chapter 05 inside
// the feed-forward network, and chapter 06 to every sublayer's output before the
// residual add. Chapter 06's page gathers those four places and explains why dropout
// regularises (Srivastava et al., 2014).
//
// Backward: y = x ⊙ m with the mask m ∈ {0, 1/(1−p)} fixed by forward, so
// ∂L/∂x = ∂L/∂y ⊙ m — the same mask, the same scaling.
//
// Like a PyTorch module, a Dropout starts in training mode; train(false) switches it to
// evaluation. Its random draws come from the Rng it was given, so a seeded run repeats.
#pragma once

#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm {

class Dropout {
public:
    /// `p` is the probability of zeroing an element, in [0, 1); the Rng must outlive this.
    Dropout(float p, Rng& rng);

    float p() const { return p_; }
    void train(bool training) { training_ = training; }
    bool training() const { return training_; }

    /// y = x ⊙ m, m_i = 0 with probability p and 1/(1−p) otherwise (identity when not
    /// training or p = 0). Keeps m for backward.
    template <std::size_t N>
    Tensor<N> forward(const Tensor<N>& x) {
        Tensor<N> y = Tensor<N>::from_shape(x.shape());
        forward_into(x.data(), y.data(), y.size());
        return y;
    }

    /// ∂L/∂x = ∂L/∂y ⊙ m, with the mask of the last forward.
    template <std::size_t N>
    Tensor<N> backward(const Tensor<N>& dy) {
        Tensor<N> dx = Tensor<N>::from_shape(dy.shape());
        backward_into(dy.data(), dx.data(), dx.size());
        return dx;
    }

    /// The same on raw buffers, y = x ⊙ m and dx = dy ⊙ m in one pass over every core
    /// (a copy when nothing is dropped); `y` may be `x` and `dx` may be `dy`.
    void forward_into(const float* x, float* y, std::size_t n);
    void backward_into(const float* dy, float* dx, std::size_t n) const;
    /// In place: the form other modules use in their hot loops.
    void forward_inplace(float* x, std::size_t n) { forward_into(x, x, n); }
    void backward_inplace(float* dy, std::size_t n) const { backward_into(dy, dy, n); }

    /// Whether the last forward dropped anything (false in evaluation mode or if p = 0).
    bool active() const { return !mask_.empty(); }

private:
    float p_;
    Rng* rng_;
    bool training_ = true;
    std::vector<float> mask_;  ///< 0 or 1/(1−p) per element; empty when inactive
};

}  // namespace tfm
