// Solution to exercise 11.1 — when does the longer hypothesis win?
#include "11_decoding/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tfm::exercises {

double crossover_alpha(double log_p_short, std::size_t short_length, double log_p_long,
                       std::size_t long_length) {
    if (short_length == 0 || long_length <= short_length)
        throw std::invalid_argument("crossover_alpha: need long_length > short_length >= 1");
    if (!(log_p_short < 0.0) || !(log_p_long < 0.0))
        throw std::invalid_argument("crossover_alpha: log-probabilities must be below 0");
    // log P_l / lp_l >= log P_s / lp_s, both sides negative: |log P_l| / |log P_s| <=
    // lp_l / lp_s = ((5 + l_l) / (5 + l_s))^α. Take logarithms; the base is above 1.
    const double alpha = std::log(log_p_long / log_p_short) /
                         std::log((5.0 + double(long_length)) / (5.0 + double(short_length)));
    return std::max(0.0, alpha);  // a longer hypothesis that is also likelier wins at α = 0
}

}  // namespace tfm::exercises
