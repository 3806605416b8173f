// optimizer.hpp — Adam, the Noam learning-rate schedule, gradient clipping (chapter 08).
//
// Adam (Kingma & Ba) keeps, per parameter element, running averages of the gradient (m)
// and of its square (v), corrects their start-up bias, and steps
//
//     m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²,
//     θ ← θ − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)
//
// exactly as torch.optim.Adam computes it, with the paper's β1 = 0.9, β2 = 0.98, ε = 1e-9.
//
// The Noam schedule (§5.3) warms the rate up linearly, then decays it as 1/√step:
//
//     rate(step) = factor · C^−0.5 · min(step^−0.5, step · warmup^−1.5)
//
// peaking at step = warmup. (step 0 counts as step 1, as in the Annotated Transformer.)
#pragma once

#include <cstddef>
#include <vector>

#include <xtensor/xarray.hpp>

#include "00_tensors/parameter.hpp"

namespace tfm {

/// The Noam learning rate at `step` (1-based; 0 is treated as 1).
double noam_rate(std::size_t step, std::size_t model_size, double factor, std::size_t warmup);

/// Scales all gradients so that their global L2 norm is at most `max_norm` (as
/// torch.nn.utils.clip_grad_norm_); returns the norm before clipping.
double clip_grad_norm(const ParameterList& params, double max_norm);

class Adam {
public:
    explicit Adam(ParameterList params, double beta1 = 0.9, double beta2 = 0.98, double eps = 1e-9);
    virtual ~Adam() = default;

    /// One step with learning rate `lr`, using the gradients in the parameters.
    void step(double lr);
    /// Zeroes every parameter's gradient.
    void zero_grad();

    std::size_t steps() const { return t_; }
    /// The moment estimates, for checkpoints that resume exactly.
    std::vector<xt::xarray<float>>& first_moments() { return m_; }
    std::vector<xt::xarray<float>>& second_moments() { return v_; }
    const std::vector<xt::xarray<float>>& first_moments() const { return m_; }
    const std::vector<xt::xarray<float>>& second_moments() const { return v_; }
    void set_steps(std::size_t t) { t_ = t; }
    const ParameterList& parameters() const { return params_; }

protected:
    /// What parameter i is multiplied by before the step at learning rate `lr`: 1 here
    /// (Adam has no weight decay); chapter 12's AdamW shrinks its matrices.
    virtual float decay_factor(std::size_t i, double lr) const;

private:
    ParameterList params_;
    double beta1_, beta2_, eps_;
    std::size_t t_ = 0;
    std::vector<xt::xarray<float>> m_, v_;
    std::vector<std::size_t> offsets_;  // parameter i's elements: offsets_[i] to offsets_[i + 1]
    std::vector<float> shrink_;         // this step's decay_factor of every parameter
};

}  // namespace tfm
