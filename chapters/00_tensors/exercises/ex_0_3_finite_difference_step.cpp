// Exercise 0.3 (experiment) — how small should a finite-difference step be?
//
// Every backward pass in this book is checked against central differences, and the
// chapter warns that the step h cannot be tiny in float32. Measure it: for the softmax,
// whose exact gradient tfm::softmax_backward gives, compute the plain central difference
// of L(x) = Σ g·softmax(x) for steps from 1e-1 down to 1e-6 and see how far it lands
// from the truth. Before you run the test, guess where the error is smallest. Afterwards,
// ask: why does the error fall at first, and at what rate? why does it rise again? and
// what does that say about the step chapter 00's checker uses?
//
// Test it with:  scripts/exercises 0.3
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

std::vector<double> central_difference_errors(const Tensor<1>& x_V, const Tensor<1>& g_V,
                                              const std::vector<double>& steps) {
    // TODO(ex 0.3): the exact gradient once; then, per step, the worst relative error.
    throw std::logic_error("not implemented: exercise 0.3");
}

}  // namespace tfm::exercises
