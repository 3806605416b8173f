// exercises.hpp — chapter 01's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>
#include <cstdint>

#include <xtensor/xtensor.hpp>

#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 1.1 (derivation): the gradient of a table used twice. A model with tied
/// embeddings reads its tokens through the table E [V, C], x_LC = √C · E[ids] as
/// tfm::Embeddings does, and scores every token of the vocabulary with the same matrix:
/// logits_LV = x_LC · Eᵀ. Given the ids [L], E and dlogits_LV = ∂L/∂logits [L, V], returns
/// ∂L/∂E [V, C]. Throws std::out_of_range for an id outside [0, V) and tfm::ShapeError
/// when dlogits_LV is not [L, V].
Tensor<2> tied_embedding_gradient(const xt::xtensor<std::int64_t, 1>& ids_L, const Tensor<2>& E_VC,
                                  const Tensor<2>& dlogits_LV);

/// What exercise 1.2 measures: |cos| over every pair of distinct rows of a table.
struct RowCosines {
    double mean_abs = 0.0;  ///< the mean of |cos(E_u, E_v)| over all pairs u < v
    double max_abs = 0.0;   ///< the largest |cos(E_u, E_v)|
};

/// Exercise 1.2 (experiment): how different are the vectors of an untrained table? Builds
/// the table as tfm::Embeddings(V, C, rng) — its only draws from `rng` — and returns the
/// mean and the largest |cos| between two of its rows, over all V(V − 1)/2 pairs. The test
/// builds the same table from an identically seeded rng: both numbers must be that table's,
/// to float rounding. Throws std::invalid_argument if V < 2.
RowCosines untrained_row_cosines(std::size_t V, std::size_t C, Rng& rng);

/// Exercise 1.3 (experiment): how much of the table does one batch train? Draws n_tokens
/// ids from a Zipf distribution over the vocabulary, P(id = v) ∝ 1/(v + 1)^s for v in
/// [0, V) (s = 0 is uniform; word frequencies in text have s near 1), looks them up in a
/// tfm::Embeddings(V, C) table as one [1, n_tokens] batch, runs backward with an upstream
/// gradient of ones, and returns the fraction of the table's rows whose gradient is not
/// zero. Throws std::invalid_argument if V is 0 or s is negative.
double fraction_of_rows_updated(std::size_t V, std::size_t C, std::size_t n_tokens, double s,
                                Rng& rng);

}  // namespace tfm::exercises
