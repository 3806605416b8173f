// Solution to exercise 7.1 — the generator's log-softmax of one row.
#include "07_encoder_decoder/exercises/exercises.hpp"

#include <cmath>

namespace tfm::exercises {

xt::xtensor<float, 1> log_softmax_row(const xt::xtensor<float, 1>& z_V) {
    float m = z_V(0);
    for (float z : z_V) m = std::max(m, z);
    double s = 0.0;
    for (float z : z_V) s += std::exp(double(z) - m);
    const float log_s = static_cast<float>(std::log(s));
    xt::xtensor<float, 1> out = xt::zeros<float>({z_V.size()});
    for (std::size_t v = 0; v < z_V.size(); ++v) out(v) = z_V(v) - m - log_s;
    return out;
}

}  // namespace tfm::exercises
