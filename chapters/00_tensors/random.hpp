// random.hpp — seeded random numbers and PyTorch's initialisers.
//
// Training is only reproducible if every random draw — initial weights, dropout masks,
// data order — comes from one seeded generator. We use the Mersenne Twister
// (`std::mt19937`, the same engine PyTorch uses on the CPU) but turn its 32-bit outputs
// into floats ourselves: the standard library's distributions are implementation-
// defined, so the same seed could give different numbers with another compiler.
//
// The initialisers follow PyTorch's formulas (torch.nn.init), which the Annotated
// Transformer relies on:
//   * nn.Linear's default: weight and bias ~ U(-1/√fan_in, +1/√fan_in);
//   * Xavier (Glorot) uniform: U(-a, a) with a = √(6 / (fan_in + fan_out)), which keeps
//     the variance of activations and of gradients roughly equal from layer to layer.
// We do not reproduce PyTorch's exact random streams: tests compare statistics, and
// the PyTorch comparisons load the same weights instead.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

namespace tfm {

/// A seeded source of random numbers with platform-independent distributions.
class Rng {
public:
    explicit Rng(std::uint64_t seed = 0)
        : engine_(static_cast<std::uint32_t>(seed ^ (seed >> 32))) {}

    /// The next raw 32 random bits.
    std::uint32_t next_u32() { return static_cast<std::uint32_t>(engine_()); }

    /// Uniform in [0, 1): the top 24 bits, i.e. every float of that form is equally likely.
    float uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }

    /// Uniform in [lo, hi).
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

    /// Standard normal, by the Box–Muller transform (one value per call, no caching, so
    /// the stream stays easy to reason about).
    float normal() {
        const double u1 = (static_cast<double>(next_u32()) + 1.0) / 4294967296.0;  // (0, 1]
        const double u2 = static_cast<double>(next_u32()) / 4294967296.0;          // [0, 1)
        return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) *
                                  std::cos(6.283185307179586 * u2));
    }

    /// Uniform integer in [0, n), without modulo bias (rejection sampling).
    std::uint32_t below(std::uint32_t n) {
        if (n == 0) throw std::invalid_argument("Rng::below: n must be positive");
        const std::uint32_t limit = UINT32_MAX - UINT32_MAX % n;
        std::uint32_t r;
        do {
            r = next_u32();
        } while (r >= limit);
        return r % n;
    }

    /// The generator's full state as text, for checkpoints that resume exactly.
    std::string state() const;
    /// Restores a state produced by state(); throws on malformed text.
    void set_state(const std::string& text);

private:
    std::mt19937 engine_;
};

/// Fills a tensor with U(lo, hi) draws, in row-major order.
template <class Tensor>
void fill_uniform(Tensor& tensor, float lo, float hi, Rng& rng) {
    for (auto& v : tensor) v = rng.uniform(lo, hi);
}

/// Fills a tensor with N(mean, std²) draws.
template <class Tensor>
void fill_normal(Tensor& tensor, float mean, float std, Rng& rng) {
    for (auto& v : tensor) v = mean + std * rng.normal();
}

/// PyTorch's fan_in and fan_out: for a weight [out, in, ...] they are in·r and out·r,
/// where r is the product of any further dimensions (1 for a Linear weight).
struct Fans {
    std::size_t fan_in;
    std::size_t fan_out;
};
template <class Tensor>
Fans compute_fans(const Tensor& weight) {
    if (weight.dimension() < 2) {
        throw std::invalid_argument("fan in and fan out need a tensor with at least 2 dimensions");
    }
    std::size_t receptive = 1;
    for (std::size_t d = 2; d < weight.dimension(); ++d) receptive *= weight.shape()[d];
    return {weight.shape()[1] * receptive, weight.shape()[0] * receptive};
}

/// torch.nn.init.xavier_uniform_: U(-a, a), a = gain·√(6 / (fan_in + fan_out)).
template <class Tensor>
void xavier_uniform(Tensor& weight, Rng& rng, float gain = 1.0f) {
    const Fans f = compute_fans(weight);
    const float a = gain * std::sqrt(6.0f / static_cast<float>(f.fan_in + f.fan_out));
    fill_uniform(weight, -a, a, rng);
}

/// nn.Linear's default for both weight and bias: U(-1/√fan_in, 1/√fan_in). (For the
/// weight PyTorch writes it as kaiming_uniform_ with a = √5, which is the same bound.)
template <class Tensor>
void linear_default_uniform(Tensor& tensor, std::size_t fan_in, Rng& rng) {
    const float bound = fan_in > 0 ? 1.0f / std::sqrt(static_cast<float>(fan_in)) : 0.0f;
    fill_uniform(tensor, -bound, bound, rng);
}

}  // namespace tfm
