// Solution to exercise 2.1 — how similar are the encodings of two positions?
//
// Pair i contributes sin(ω_i p)·sin(ω_i (p+k)) + cos(ω_i p)·cos(ω_i (p+k)) = cos(ω_i k)
// (the cosine of a difference), so PE_p · PE_{p+k} = Σ_i cos(ω_i k): p has gone, and at
// k = 0 every pair gives 1, so every encoding has squared length C/2.
#include "02_positional_encoding/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace tfm::exercises {

double encoding_dot_product(long k, std::size_t C) {
    if (C == 0 || C % 2 != 0) {
        throw std::invalid_argument("encoding_dot_product: C must be even, got " +
                                    std::to_string(C));
    }
    double sum = 0.0;
    for (std::size_t i = 0; i < C / 2; ++i) {
        const double omega = std::pow(10000.0, -double(2 * i) / double(C));
        sum += std::cos(omega * double(k));
    }
    return sum;
}

}  // namespace tfm::exercises
