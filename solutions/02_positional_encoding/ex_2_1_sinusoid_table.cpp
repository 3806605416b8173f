// Solution to exercise 2.1 — the sinusoid table of the positional encoding.
#include "02_positional_encoding/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>

namespace tfm::exercises {

xt::xtensor<float, 2> sinusoid_table(std::size_t max_len, std::size_t d_model) {
    if (d_model % 2 != 0) throw std::invalid_argument("sinusoid_table: d_model must be even");
    xt::xtensor<float, 2> pe = xt::zeros<float>({max_len, d_model});
    for (std::size_t i = 0; i < d_model / 2; ++i) {
        // 1 / 10000^(2i/C), computed as exp(2i · −ln(10000)/C).
        const float frequency = std::exp(float(2 * i) * -(std::log(10000.0f) / float(d_model)));
        for (std::size_t pos = 0; pos < max_len; ++pos) {
            pe(pos, 2 * i) = std::sin(float(pos) * frequency);
            pe(pos, 2 * i + 1) = std::cos(float(pos) * frequency);
        }
    }
    return pe;
}

}  // namespace tfm::exercises
