// Exercise 8.2 (experiment) — what label smoothing does to a model's confidence.
//
// The paper trains with label smoothing and remarks that it "hurts perplexity, as the
// model learns to be more unsure, but improves accuracy". Measure the first half of that
// on a problem small enough to train in a blink: a linear classifier on well-separated
// points, trained with the chapter's LabelSmoothing loss and Adam, with smoothing 0, 0.1
// and 0.3. How sure of itself does it end up on new points, and is it still right? Guess
// the three confidences before you run the test.
//
// Test it with:  scripts/exercises 8.2
#include <stdexcept>

#include "00_tensors/linear.hpp"
#include "07_encoder_decoder/generator.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

SmoothingEffect train_with_smoothing(std::size_t V, float smoothing, Rng& rng) {
    // TODO(ex 8.2): centres and points; the training loop; confidence and accuracy on new points.
    throw std::logic_error("not implemented: exercise 8.2");
}

}  // namespace tfm::exercises
