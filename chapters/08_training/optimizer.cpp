// optimizer.cpp — Adam as PyTorch computes it, the Noam rate, and clipping.
#include "optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <xtensor/xbuilder.hpp>

#include "00_tensors/lanes.hpp"
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
    // The gradients cut into blocks of at most kBlock elements, shared among the cores.
    // Each block's squares are summed in a fixed order (in vector lanes, chapter 00's
    // lanes.hpp), then the blocks' sums in order: the same
    // norm whichever core sums which block, on any number of cores.
    constexpr std::size_t kBlock = 4096;
    struct Block {
        float* g;
        std::size_t n;
    };
    std::vector<Block> blocks;
    for (Parameter* p : params)
        for (std::size_t s = 0; s < p->grad.size(); s += kBlock)
            blocks.push_back({p->grad.data() + s, std::min(kBlock, p->grad.size() - s)});
    std::vector<double> sums(blocks.size());
    parallel_for(blocks.size(), 4, [&](std::size_t first, std::size_t last) {
        for (std::size_t b = first; b < last; ++b) {
            const float* g = blocks[b].g;
            sums[b] = sum_in_lanes(blocks[b].n, [&](std::size_t j) { return double(g[j]) * g[j]; });
        }
    });
    double sq = 0.0;
    for (double s : sums) sq += s;
    const double norm = std::sqrt(sq);
    // PyTorch scales by max_norm / (norm + 1e-6) when that is below 1.
    const double coeff = max_norm / (norm + 1e-6);
    if (coeff < 1.0) {
        const float scale = static_cast<float>(coeff);
        parallel_for(blocks.size(), 4, [&](std::size_t first, std::size_t last) {
            for (std::size_t b = first; b < last; ++b)
                for (std::size_t j = 0; j < blocks[b].n; ++j) blocks[b].g[j] *= scale;
        });
    }
    return norm;
}

Adam::Adam(ParameterList params, double beta1, double beta2, double eps)
    : params_(std::move(params)), beta1_(beta1), beta2_(beta2), eps_(eps) {
    offsets_.push_back(0);
    for (const Parameter* p : params_) {
        m_.push_back(xt::zeros<float>(p->value.shape()));
        v_.push_back(xt::zeros<float>(p->value.shape()));
        offsets_.push_back(offsets_.back() + p->value.size());
    }
    shrink_.resize(params_.size());
}

float Adam::decay_factor(std::size_t, double) const {
    return 1.0f;
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
    for (std::size_t i = 0; i < params_.size(); ++i) shrink_[i] = decay_factor(i, lr);
    // Every element is independent. The elements of all the parameters, laid end to end
    // (parameter i holds offsets_[i] to offsets_[i + 1]), are split into one range per core
    // (parallel.hpp): one hand-over for the whole update, where a loop per tensor would
    // need one per tensor and leave the small ones on one core. The constants are copied
    // into the loop: held by reference, they might change with every store to m, v or θ
    // as far as the compiler can tell, and it would not use vector instructions.
    const auto update = [&, b1, b2, eps, step_size, inv_sqrt_bias2](std::size_t first,
                                                                    std::size_t last) {
        for (std::size_t i = 0; i < params_.size(); ++i) {
            // The part of parameter i inside [first, last), as indices into parameter i.
            const std::size_t begin = std::max(first, offsets_[i]) - offsets_[i];
            const std::size_t end = std::min(last, offsets_[i + 1]);
            if (end <= offsets_[i] + begin) continue;  // parameter i lies outside this range
            float* theta = params_[i]->value.data();
            const float* g = params_[i]->grad.data();
            float* m = m_[i].data();
            float* v = v_[i].data();
            const float shrink = shrink_[i];
            for (std::size_t j = begin; j < end - offsets_[i]; ++j) {
                m[j] = b1 * m[j] + (1.0f - b1) * g[j];
                v[j] = b2 * v[j] + (1.0f - b2) * g[j] * g[j];
                theta[j] *= shrink;  // 1 in Adam; AdamW's weight decay (chapter 12)
                // torch.optim.Adam: denom = sqrt(v)/sqrt(1−β2^t) + ε; θ −= (lr/(1−β1^t)) · m/denom
                theta[j] -= step_size * m[j] / (std::sqrt(v[j]) * inv_sqrt_bias2 + eps);
            }
        }
    };
    parallel_for(offsets_.back(), 1 << 14, update);
}
//! [adam]

}  // namespace tfm
