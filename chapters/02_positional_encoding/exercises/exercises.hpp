// exercises.hpp — chapter 02's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 2.1 (derivation): the dot product PE_p · PE_{p+k} of two rows of the
/// sinusoidal encoding of width C, computed from a closed form in k and C alone — no
/// table, no p: it is the same for every p. Throws std::invalid_argument if C is odd or 0.
double encoding_dot_product(long k, std::size_t C);

/// Exercise 2.2 (derivation): the distance between two positions, read off their
/// encodings. a_C and b_C are rows p and p + k of tfm::positional_table(·, C); returns k
/// (negative when b's position comes first) without knowing p. Must be exact for every
/// even C ≥ 16 and every p, p + k in [0, 5000). Throws tfm::ShapeError if the sizes differ
/// or C is odd or 0.
long offset_between(const Tensor<1>& a_C, const Tensor<1>& b_C);

/// What exercise 2.3 measures: the mean and the variance of dropout's output elements.
struct DropoutMoments {
    double mean = 0.0;
    double variance = 0.0;
};

/// Exercise 2.3 (experiment): what dropout does to a value, on average and in spread.
/// Runs one forward of a tfm::Dropout(p) in training mode, masks drawn from `rng`, on a
/// [n] tensor of ones, and returns the mean and the (population) variance of its n outputs.
/// Throws std::invalid_argument if n is 0.
DropoutMoments dropout_moments(float p, std::size_t n, Rng& rng);

}  // namespace tfm::exercises
