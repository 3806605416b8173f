// dropout.cpp — drawing the mask, applying it forward and backward.
#include "dropout.hpp"

#include "00_tensors/parallel.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tfm {

Dropout::Dropout(float p, Rng& rng) : p_(p), rng_(&rng) {
    if (!(p >= 0.0f && p < 1.0f)) {
        throw std::invalid_argument("Dropout: p must be in [0, 1), got " + std::to_string(p));
    }
}

namespace {
// SplitMix64's finaliser (Steele, Lea & Flood, 2014): a hash whose outputs for
// consecutive inputs are statistically independent 64-bit numbers.
inline std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
}  // namespace

//! [dropout]
void Dropout::forward_into(const float* x, float* y, std::size_t n) {
    if (!training_ || p_ == 0.0f) {
        mask_.clear();  // identity, and backward is the identity too
        if (y != x) copy_into(y, x, n);
        return;
    }
    const float keep_scale = 1.0f / (1.0f - p_);
    // A mask needs one random number per element — tens of millions a training step.
    // Rather than draw each from the Mersenne Twister, we draw one 64-bit seed from it
    // and hash (seed, i) for element i: a few arithmetic instructions per element, and
    // the mask is still fully determined by the generator's state (so a resumed run
    // drops exactly what the uninterrupted one did).
    const std::uint64_t seed = (std::uint64_t(rng_->next_u32()) << 32) | rng_->next_u32();
    const std::uint32_t threshold =
        static_cast<std::uint32_t>(double(p_) * 4294967296.0);  // p · 2³²
    mask_.resize(n);  // reuses its capacity from one step to the next
    float* mask = mask_.data();
    // Element i depends only on (seed, i): the cores can share the work (parallel.hpp).
    parallel_for(n, 1 << 14, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) {
            // Keep with probability 1 − p; survivors are scaled so E[y_i] = x_i.
            const auto u = static_cast<std::uint32_t>(mix(seed + i * 0x9e3779b97f4a7c15ULL) >> 32);
            mask[i] = u >= threshold ? keep_scale : 0.0f;
            y[i] = x[i] * mask[i];
        }
    });
}

void Dropout::backward_into(const float* dy, float* dx, std::size_t n) const {
    if (mask_.empty()) {
        if (dx != dy) copy_into(dx, dy, n);
        return;
    }
    if (n != mask_.size()) {
        throw ShapeError("Dropout backward: gradient has " + std::to_string(n) +
                         " elements, the last forward had " + std::to_string(mask_.size()));
    }
    const float* mask = mask_.data();
    parallel_for(n, 1 << 14, [&](std::size_t first, std::size_t last) {
        for (std::size_t i = first; i < last; ++i) dx[i] = dy[i] * mask[i];
    });
}
//! [dropout]

}  // namespace tfm
