// Solution to exercise 2.3 — what dropout does to a value, on average and in spread.
//
// Each output is 0 with probability p and 1/(1 − p) otherwise: mean 1, and
// E[y²] = (1 − p)/(1 − p)² = 1/(1 − p), so the variance is 1/(1 − p) − 1 = p/(1 − p).
#include "02_positional_encoding/exercises/exercises.hpp"

#include <stdexcept>

#include "02_positional_encoding/dropout.hpp"

namespace tfm::exercises {

DropoutMoments dropout_moments(float p, std::size_t n, Rng& rng) {
    if (n == 0) throw std::invalid_argument("dropout_moments: n must be positive");
    Dropout dropout(p, rng);  // modules start in training mode
    const Tensor<1> y = dropout.forward(Tensor<1>(xt::ones<float>({n})));
    double sum = 0.0, sum_sq = 0.0;
    for (float v : y) {
        sum += v;
        sum_sq += double(v) * v;
    }
    DropoutMoments m;
    m.mean = sum / double(n);
    m.variance = sum_sq / double(n) - m.mean * m.mean;
    return m;
}

}  // namespace tfm::exercises
