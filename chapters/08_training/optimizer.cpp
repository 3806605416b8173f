// optimizer.cpp — Adam as PyTorch computes it, the Noam rate, and clipping.
#include "optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <xtensor/xbuilder.hpp>

#include "00_tensors/parallel.hpp"

namespace tfm {

//! [noam]
double noam_rate(std::size_t step, std::size_t model_size, double factor, std::size_t warmup) {
    if (model_size == 0 || warmup == 0)
        throw std::invalid_argument("noam_rate: model_size and warmup must be positive");
    const double s = step == 0 ? 1.0 : double(step);  // avoid 0^−0.5
    return factor * std::pow(double(model_size), -0.5) *
           std::min(std::pow(s, -0.5), s * std::pow(double(warmup), -1.5));
}
//! [noam]

double clip_grad_norm(const ParameterList& params, double max_norm) {
    double sq = 0.0;
    for (const Parameter* p : params)
        for (float g : p->grad) sq += double(g) * g;
    const double norm = std::sqrt(sq);
    // PyTorch scales by max_norm / (norm + 1e-6) when that is below 1.
    const double coeff = max_norm / (norm + 1e-6);
    if (coeff < 1.0) {
        for (Parameter* p : params) p->grad *= static_cast<float>(coeff);
    }
    return norm;
}

Adam::Adam(ParameterList params, double beta1, double beta2, double eps)
    : params_(std::move(params)), beta1_(beta1), beta2_(beta2), eps_(eps) {
    for (const Parameter* p : params_) {
        m_.push_back(xt::zeros<float>(p->value.shape()));
        v_.push_back(xt::zeros<float>(p->value.shape()));
    }
}

void Adam::zero_grad() {
    zero_grads(params_);
}

//! [adam]
void Adam::step(double lr) {
    ++t_;
    const double bias1 = 1.0 - std::pow(beta1_, double(t_));
    const double bias2 = 1.0 - std::pow(beta2_, double(t_));
    const float step_size = static_cast<float>(lr / bias1);
    const float inv_sqrt_bias2 = static_cast<float>(1.0 / std::sqrt(bias2));
    const float b1 = float(beta1_), b2 = float(beta2_), eps = float(eps_);
    for (std::size_t i = 0; i < params_.size(); ++i) {
        float* theta = params_[i]->value.data();
        const float* g = params_[i]->grad.data();
        float* m = m_[i].data();
        float* v = v_[i].data();
        // Every element is independent: the cores share each tensor (parallel.hpp).
        parallel_for(m_[i].size(), 1 << 14, [&](std::size_t first, std::size_t last) {
            for (std::size_t j = first; j < last; ++j) {
                m[j] = b1 * m[j] + (1.0f - b1) * g[j];
                v[j] = b2 * v[j] + (1.0f - b2) * g[j] * g[j];
                // torch.optim.Adam: denom = sqrt(v)/sqrt(1−β2^t) + ε; θ −= (lr/(1−β1^t)) · m/denom
                theta[j] -= step_size * m[j] / (std::sqrt(v[j]) * inv_sqrt_bias2 + eps);
            }
        });
    }
}
//! [adam]

}  // namespace tfm
