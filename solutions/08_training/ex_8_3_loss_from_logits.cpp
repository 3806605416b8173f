// Solution to exercise 8.3 — label smoothing taken straight from the logits.
#include "08_training/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

LossAndGradient smoothed_loss_from_logits(const xt::xtensor<float, 2>& z_NV,
                                          const xt::xtensor<std::int64_t, 1>& y_N,
                                          std::int64_t padding_idx, float smoothing) {
    const std::size_t N = z_NV.shape()[0], V = z_NV.shape()[1];
    check_shape("y_N", y_N, {std::ptrdiff_t(N)});
    LossAndGradient result;
    result.dz_NV = xt::zeros<float>({N, V});
    const double spread = double(smoothing) / double(V - 2), confidence = 1.0 - double(smoothing);
    std::vector<double> q(V);
    for (std::size_t n = 0; n < N; ++n) {
        const std::int64_t y = y_N(n);
        if (y < 0 || std::size_t(y) >= V) {
            throw std::out_of_range("smoothed_loss_from_logits: label " + std::to_string(y) +
                                    " is outside [0, " + std::to_string(V) + ")");
        }
        if (y == padding_idx) continue;  // a padding label teaches nothing: no loss, no gradient
        // The smoothed target (exercise 8.2) and its sum, which is 1 here.
        std::fill(q.begin(), q.end(), spread);
        q[std::size_t(y)] = confidence;
        if (padding_idx >= 0 && std::size_t(padding_idx) < V) q[std::size_t(padding_idx)] = 0.0;
        double sum_q = 0.0;
        for (double v : q) sum_q += v;
        // log p_v = z_v − m − log Σ_u exp(z_u − m), with m the row's maximum: nothing overflows.
        double m = z_NV(n, 0);
        for (std::size_t v = 1; v < V; ++v) m = std::max(m, double(z_NV(n, v)));
        double total = 0.0;
        for (std::size_t v = 0; v < V; ++v) total += std::exp(double(z_NV(n, v)) - m);
        const double log_total = std::log(total);
        for (std::size_t v = 0; v < V; ++v) {
            const double logp = double(z_NV(n, v)) - m - log_total;
            if (q[v] > 0.0) result.loss += q[v] * (std::log(q[v]) - logp);
            // ∂L/∂log p_u = −q_u and ∂log p_u/∂z_v = δ_uv − p_v, so
            // ∂L/∂z_v = Σ_u (−q_u)(δ_uv − p_v) = p_v · Σ_u q_u − q_v.
            result.dz_NV(n, v) = static_cast<float>(std::exp(logp) * sum_q - q[v]);
        }
    }
    return result;
}

}  // namespace tfm::exercises
