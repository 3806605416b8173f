// Tests for exercise 5.2 — how large is the network's output at initialisation?
#include <catch2/catch.hpp>

#include "00_tensors/random.hpp"
#include "05_feed_forward/exercises/exercises.hpp"

using tfm::exercises::feed_forward_output_scale;

namespace {
// The prediction, step by step: Xavier's variance 2/(in + out) for each weight, nn.Linear's
// U(±1/√in) biases (variance 1/(3·in)), and ReLU keeping half of a symmetric variable's
// second moment.
double predicted(double C, double F) {
    const double h = C * 2.0 / (C + F) + 1.0 / (3.0 * C);
    const double relu = h / 2.0;
    return F * 2.0 / (C + F) * relu + 1.0 / (3.0 * F);
}

// The mean over eight initialisations: one varies by about 7% around the prediction, so
// the mean of eight by under 3%, and any correct measurement lands within the 10% below.
double measured(std::size_t C, std::size_t F, tfm::Rng& rng) {
    double sum = 0.0;
    for (int i = 0; i < 8; ++i) sum += feed_forward_output_scale(C, F, rng);
    return sum / 8.0;
}
}  // namespace

TEST_CASE("exercise 5.2: the output's mean square, against the variance of each step") {
    tfm::Rng rng(52);
    const double square = measured(64, 64, rng), widening = measured(64, 256, rng);
    INFO("mean square of y over that of x: F = C " << square << ", F = 4C " << widening);
    CHECK(square == Approx(predicted(64, 64)).epsilon(0.1));     // ≈ 0.50
    CHECK(widening == Approx(predicted(64, 256)).epsilon(0.1));  // ≈ 0.33
    CHECK(widening < square);
}
