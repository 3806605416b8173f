// Solution to exercise 8.3 — Adam after the gradient stops.
//
// With j = min(k, t) steps of gradient g, the last of them t − j steps ago:
//     m_t = (1 − β1)·g·Σ_{i=1..j} β1^(t−i) = g·β1^(t−j)·(1 − β1^j),
//     v_t = g²·β2^(t−j)·(1 − β2^j),
// and the change is −lr·m̂/(√v̂ + ε) with m̂ = m_t/(1 − β1^t), v̂ = v_t/(1 − β2^t).
// While the gradient lasts (t ≤ k) m̂ = g and v̂ = g²: every step is −lr·g/(|g| + ε), lr
// whatever the gradient's size — so the very first step moves every parameter by about
// lr. After it stops, m shrinks as β1^(t−k) but √v only as β2^((t−k)/2): the parameter
// keeps moving, by a step that shrinks about 9% a step for the paper's β.
#include "08_training/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tfm::exercises {

double adam_change_at_step(double g, std::size_t k, std::size_t t, double lr, double beta1,
                           double beta2, double eps) {
    if (t == 0) throw std::invalid_argument("adam_change_at_step: steps count from 1");
    const double j = double(std::min(k, t)), since = double(t) - j;
    const double m = g * std::pow(beta1, since) * (1.0 - std::pow(beta1, j));
    const double v = g * g * std::pow(beta2, since) * (1.0 - std::pow(beta2, j));
    const double m_hat = m / (1.0 - std::pow(beta1, double(t)));
    const double v_hat = v / (1.0 - std::pow(beta2, double(t)));
    return -lr * m_hat / (std::sqrt(v_hat) + eps);
}

}  // namespace tfm::exercises
