// Exercise 5.2 (experiment) — how large is the network's output at initialisation?
//
// make_model initialises w_1 and w_2 with Xavier uniform, a variance chosen for
// layers whose fan-in and fan-out differ; here one widens C → F and the other narrows
// F → C, with a ReLU between them. Measure what comes out: build the chapter's network,
// initialise it as make_model does, feed it unit-variance inputs and compare the output's
// mean square with the input's. Predict first, step by step: what does w_1 do to the
// variance, what does ReLU do, what does w_2 do? The test asks for F = C and F = 4C.
//
// Test it with:  scripts/exercises 5.2
#include <stdexcept>

#include "05_feed_forward/feed_forward.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

double feed_forward_output_scale(std::size_t C, std::size_t F, Rng& rng) {
    // TODO(ex 5.2): build, re-initialise the weights, run on N(0, 1) input, compare.
    throw std::logic_error("not implemented: exercise 5.2");
}

}  // namespace tfm::exercises
