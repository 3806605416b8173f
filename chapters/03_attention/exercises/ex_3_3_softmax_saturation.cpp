// Exercise 3.3 (experiment) — what the 1/√K is for: watch the softmax saturate.
//
// The chapter argues that the dot product of a random query and a random key, with
// entries of variance 1, has variance K, so that without the scale wide heads would give
// the softmax huge scores. Measure what that does to the weights: how much of each row's
// weight goes to its single largest entry, on average? The test draws random q and k for
// K = 16, 64 and 256 and asks your function with and without the scale. Before you run
// it, guess the six numbers.
//
// Test it with:  scripts/exercises 3.3
#include <stdexcept>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

double mean_max_attention_weight(const Tensor<2>& q_LK, const Tensor<2>& k_MK, bool scaled) {
    // TODO(ex 3.3): check the widths; the weights [L, M]; the mean of each row's largest weight.
    throw std::logic_error("not implemented: exercise 3.3");
}

}  // namespace tfm::exercises
