// Tests for exercise 8.2 — what label smoothing does to a model's confidence.
#include <catch2/catch.hpp>

#include "00_tensors/random.hpp"
#include "08_training/exercises/exercises.hpp"
#include "08_training/loss.hpp"

using tfm::exercises::SmoothingEffect;
using tfm::exercises::train_with_smoothing;

TEST_CASE("exercise 8.2: smoothing caps the confidence at the target's 1 - eps, not accuracy") {
    const std::size_t V = 10;
    for (float eps : {0.0f, 0.1f, 0.3f}) {
        tfm::Rng rng(82);
        const SmoothingEffect e = train_with_smoothing(V, eps, rng);
        // The label's share of the smoothed target: what the loss teaches the model to say.
        const double target = tfm::LabelSmoothing(V, 0, eps).confidence();
        INFO("smoothing " << eps << ": confidence " << e.confidence << " (the target puts "
                          << target << " on the label), accuracy " << e.accuracy);
        CHECK(e.accuracy > 0.95);
        if (eps == 0.0f) {
            CHECK(e.confidence > 0.97);
        } else {
            CHECK(e.confidence == Approx(target).margin(0.03));
        }
    }
}
