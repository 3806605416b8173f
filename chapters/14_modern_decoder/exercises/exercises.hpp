// exercises.hpp — chapter 14's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "00_tensors/shapes.hpp"
#include "14_modern_decoder/modern_decoder.hpp"

namespace tfm::exercises {

/// Exercise 14.1 (derivation): RoPE with learned angles. `x_BHLK` holds queries (or keys)
/// before the rotation, row l of every head at position first_position + l; pair i of each
/// head, channels (2i, 2i + 1), turns through position · theta[i], as RotaryEmbedding
/// turns it with theta[i] = frequency(i) — but here the K/2 angles are any numbers, as a
/// model that learns them has. `dy_BHLK` is ∂L/∂y for the rotated y. Returns ∂L/∂θ_i for
/// i < K/2, summed over every batch entry, head and position, in double. Throws
/// tfm::ShapeError if dy's shape is not x's, or theta does not hold K/2 angles.
std::vector<double> rope_angle_gradient(const Tensor<4>& x_BHLK, const Tensor<4>& dy_BHLK,
                                        const std::vector<double>& theta,
                                        std::size_t first_position);

/// What exercise 14.2 measures: for each shift, how far a score strays from the exact one.
struct ShiftErrors {
    std::vector<double> library;       ///< q and k turned by the chapter's RotaryEmbedding
    std::vector<double> float_angles;  ///< turned with the angles computed in float32
};

/// Exercise 14.2 (experiment): how exactly does a float32 RoPE depend on m − n alone? For
/// each s in `shifts`, q turned to position m + s and k turned to n + s (K channels each,
/// base 10,000), their dot product summed in double, against the exact score: q and k in
/// double, turned to m and n in double. Each error is |score − exact| / (|q|·|k|).
/// `library` turns with RotaryEmbedding::rotate; `float_angles` turns the float32 vectors
/// with cos and sin of a float32 angle, float(position) · float(frequency(i)) multiplied
/// in float32, as a model that builds its angle table in float32 does. Throws
/// std::invalid_argument if q and k differ in size or the size is odd or zero.
ShiftErrors relative_position_errors(const std::vector<float>& q, const std::vector<float>& k,
                                     std::size_t m, std::size_t n,
                                     const std::vector<std::size_t>& shifts);

/// What exercise 14.3 measures for one base: the mean loss (nats) at the positions the
/// model trained on, and at the positions past them.
struct LossInsideAndPast {
    double inside = 0.0;  ///< positions 0 .. block_size − 1
    double past = 0.0;    ///< positions block_size .. length − 1
};

/// Exercise 14.3 (experiment): past the context with another base. `model` (RoPE) was
/// trained on windows of block_size characters. For each base, the same weights with
/// RoPE's base set to it (nothing else changes), and the loss at each position of windows
/// of `length` > block_size characters of `data` (loss_by_position, 8 windows a batch),
/// averaged inside the trained positions and past them. Throws std::invalid_argument if
/// the model has learned positions or `length` is not beyond its context.
std::vector<LossInsideAndPast> loss_past_context_by_base(ModernDecoder& model,
                                                         const std::vector<std::int64_t>& data,
                                                         std::size_t length,
                                                         const std::vector<double>& bases);

}  // namespace tfm::exercises
