// dropout.cpp — drawing the mask, applying it forward and backward.
#include "dropout.hpp"

#include <stdexcept>
#include <string>

namespace tfm {

Dropout::Dropout(float p, Rng& rng) : p_(p), rng_(&rng) {
    if (!(p >= 0.0f && p < 1.0f)) {
        throw std::invalid_argument("Dropout: p must be in [0, 1), got " + std::to_string(p));
    }
}

//! [dropout]
void Dropout::forward_inplace(float* x, std::size_t n) {
    if (!training_ || p_ == 0.0f) {
        mask_.clear();  // identity, and backward is the identity too
        return;
    }
    const float keep_scale = 1.0f / (1.0f - p_);
    mask_.resize(n);  // reuses its capacity from one step to the next
    for (std::size_t i = 0; i < n; ++i) {
        // Keep with probability 1 − p; survivors are scaled so E[y_i] = x_i.
        mask_[i] = rng_->uniform() >= p_ ? keep_scale : 0.0f;
        x[i] *= mask_[i];
    }
}

void Dropout::backward_inplace(float* dy, std::size_t n) const {
    if (mask_.empty()) return;
    if (n != mask_.size()) {
        throw ShapeError("Dropout backward: gradient has " + std::to_string(n) +
                         " elements, the last forward had " + std::to_string(mask_.size()));
    }
    for (std::size_t i = 0; i < n; ++i) dy[i] *= mask_[i];
}
//! [dropout]

}  // namespace tfm
