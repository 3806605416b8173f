// Solution to exercise 0.1 — the gradient of a softmax's entropy.
//
// ∂H/∂p_i = −(log p_i + 1). Through the softmax, dx_j = p_j (dp_j − Σ_i p_i dp_i):
// the "+1" cancels (Σ p_i = 1) and −Σ p_i log p_i is H, so
//
//     ∂H/∂x_j = −p_j (log p_j + H).
//
// log p_j is taken as x_j − m − log Σ exp(x − m), never as the log of a rounded p_j: for
// a masked score p_j is 0 in any precision and log 0 = −∞ would make 0·(−∞) = NaN.
#include "00_tensors/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

Tensor<1> softmax_entropy_gradient(const Tensor<1>& x_V) {
    const std::size_t V = x_V.size();
    if (V == 0) throw ShapeError("softmax_entropy_gradient: x_V is empty");
    const double m = *std::max_element(x_V.begin(), x_V.end());
    double sum = 0.0;
    for (float v : x_V) sum += std::exp(double(v) - m);
    const double log_sum = std::log(sum);
    std::vector<double> log_p(V), p(V);
    double H = 0.0;
    for (std::size_t i = 0; i < V; ++i) {
        log_p[i] = double(x_V(i)) - m - log_sum;  // finite even where p underflows to 0
        p[i] = std::exp(log_p[i]);
        H -= p[i] * log_p[i];
    }
    Tensor<1> dx_V = Tensor<1>::from_shape({V});
    for (std::size_t j = 0; j < V; ++j) dx_V(j) = static_cast<float>(-p[j] * (log_p[j] + H));
    return dx_V;
}

}  // namespace tfm::exercises
