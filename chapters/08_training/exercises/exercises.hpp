// exercises.hpp — chapter 08's exercises (run `scripts/exercises` from the top).
#pragma once

#include <cstddef>

#include "00_tensors/random.hpp"

namespace tfm::exercises {

/// The shape of the Noam schedule (exercise 8.1).
struct NoamShape {
    double peak_step = 0.0;     ///< the step at which the rate is largest
    double peak_rate = 0.0;     ///< the rate there
    double rising_step = 0.0;   ///< the step during warm-up at which the rate is r · peak_rate
    double falling_step = 0.0;  ///< the step after the peak at which it is r · peak_rate again
};

/// Exercise 8.1 (derivation): where the Noam schedule of tfm::noam_rate peaks and how
/// high, and the two steps at which it passes a fraction r of its peak, 0 < r ≤ 1 — all
/// from closed forms, not by trying steps (treat the step as a real number). Throws
/// std::invalid_argument unless model_size and warmup are positive and 0 < r ≤ 1.
NoamShape noam_shape(std::size_t model_size, double factor, std::size_t warmup, double r);

/// What exercise 8.2 measures on held-out points.
struct SmoothingEffect {
    double confidence = 0.0;  ///< the mean probability of the predicted class
    double accuracy = 0.0;    ///< the fraction of points whose predicted class is right
};

/// Exercise 8.2 (experiment): what label smoothing does to a model's confidence. Points of
/// V − 1 classes (ids 1 … V − 1; id 0 is padding and never a label) in C = 16 dimensions:
/// each class has a centre 16 units from the origin in a random direction, and its points
/// are the centre plus N(0, 1) noise in every dimension. Trains a tfm::Linear(16, V) with
/// the log-softmax of chapter 07 on them — 1,000 Adam steps, the rate falling linearly
/// from 0.03 to 0, on batches of 64 points, tfm::LabelSmoothing(V, 0, smoothing) as the
/// loss — and measures its confidence and accuracy on 1,000 new points of the same
/// classes. All draws come from `rng`.
SmoothingEffect train_with_smoothing(std::size_t V, float smoothing, Rng& rng);

/// Exercise 8.3 (derivation): Adam after the gradient stops. A parameter's gradient is g at
/// steps 1 … k and 0 from step k + 1 on; returns the change tfm::Adam (β1, β2, ε as given,
/// learning rate lr at every step) makes to the parameter at step t ≥ 1, from a closed form
/// in g, k, t — not by running the optimiser. Throws std::invalid_argument if t is 0.
double adam_change_at_step(double g, std::size_t k, std::size_t t, double lr, double beta1 = 0.9,
                           double beta2 = 0.98, double eps = 1e-9);

}  // namespace tfm::exercises
