// Solution to exercise 14.2 — how exactly does a float32 RoPE depend on m − n alone?
#include "14_modern_decoder/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>

#include "00_tensors/gradcheck.hpp"

namespace tfm::exercises {

namespace {

// q rotated to m dotted with k rotated to n, everything in double: the exact score.
double exact_score(const std::vector<float>& q, const std::vector<float>& k, std::size_t m,
                   std::size_t n, const RotaryEmbedding& rope) {
    double score = 0.0;
    for (std::size_t i = 0; i < q.size() / 2; ++i) {
        const double a = double(m) * rope.frequency(i), b = double(n) * rope.frequency(i);
        const double q0 = q[2 * i] * std::cos(a) - q[2 * i + 1] * std::sin(a);
        const double q1 = q[2 * i] * std::sin(a) + q[2 * i + 1] * std::cos(a);
        const double k0 = k[2 * i] * std::cos(b) - k[2 * i + 1] * std::sin(b);
        const double k1 = k[2 * i] * std::sin(b) + k[2 * i + 1] * std::cos(b);
        score += q0 * k0 + q1 * k1;
    }
    return score;
}

// The float32 pipeline of a model that tabulates its angles in float32.
std::vector<float> turn_with_float_angles(const std::vector<float>& x, std::size_t position,
                                          const RotaryEmbedding& rope) {
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < x.size() / 2; ++i) {
        const float angle = float(position) * float(rope.frequency(i));  // rounded twice
        const float c = std::cos(angle), s = std::sin(angle);
        y[2 * i] = x[2 * i] * c - x[2 * i + 1] * s;
        y[2 * i + 1] = x[2 * i] * s + x[2 * i + 1] * c;
    }
    return y;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double sum = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * b[i];
    return sum;
}

}  // namespace

ShiftErrors relative_position_errors(const std::vector<float>& q, const std::vector<float>& k,
                                     std::size_t m, std::size_t n,
                                     const std::vector<std::size_t>& shifts) {
    if (q.size() != k.size() || q.empty() || q.size() % 2 != 0)
        throw std::invalid_argument("relative_position_errors: q and k need the same even size");
    const std::size_t K = q.size();
    const RotaryEmbedding rope(K);
    const double exact = exact_score(q, k, m, n, rope);
    const double scale = std::sqrt(dot(q, q) * dot(k, k));
    ShiftErrors errors;
    for (const std::size_t s : shifts) {
        // The library: [1, 1, 1, K] tensors, angles in double.
        Tensor<4> qt = Tensor<4>::from_shape({1, 1, 1, K}), kt = qt;
        std::copy(q.begin(), q.end(), qt.begin());
        std::copy(k.begin(), k.end(), kt.begin());
        rope.rotate(qt, m + s);
        rope.rotate(kt, n + s);
        errors.library.push_back(std::abs(dot_double(qt, kt) - exact) / scale);
        const double f =
            dot(turn_with_float_angles(q, m + s, rope), turn_with_float_angles(k, n + s, rope));
        errors.float_angles.push_back(std::abs(f - exact) / scale);
    }
    return errors;
}

}  // namespace tfm::exercises
