// Solution to exercise 2.2 — read the distance between two positions off their encodings.
//
// Pair i of a is (sin θ, cos θ) with θ = ω_i p, and of b (sin φ, cos φ) with φ = ω_i (p + k).
// The angle turned, φ − θ = ω_i k, has sine sin φ cos θ − cos φ sin θ and cosine
// cos φ cos θ + sin φ sin θ, so atan2 gives it — but only modulo 2π. The first pair
// (ω = 1) turns a full circle every 6.28 positions and cannot tell k = 1 from k = 7.
// The last pair turns slowest, ω = 10000^(−(C−2)/C): for C ≥ 16 that is below 3.2·10⁻⁴,
// so over fewer than 5,000 positions it turns less than π and its angle names k alone.
#include "02_positional_encoding/exercises/exercises.hpp"

#include <cmath>
#include <string>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

long offset_between(const Tensor<1>& a_C, const Tensor<1>& b_C) {
    const std::size_t C = a_C.size();
    check_size("offset_between: size of b_C", C, b_C.size());
    if (C == 0 || C % 2 != 0) {
        throw ShapeError("offset_between: C must be even, got " + std::to_string(C));
    }
    const std::size_t s = C - 2, c = C - 1;  // the slowest pair's sine and cosine channels
    const double sin_turn = double(b_C(s)) * a_C(c) - double(b_C(c)) * a_C(s);
    const double cos_turn = double(b_C(c)) * a_C(c) + double(b_C(s)) * a_C(s);
    const double omega = std::pow(10000.0, -double(C - 2) / double(C));
    return std::lround(std::atan2(sin_turn, cos_turn) / omega);
}

}  // namespace tfm::exercises
