// Exercise 5.2 — the feed-forward network on rows.
//
// Two Linear layers with a ReLU between them, written with two matrix products.
// PyTorch stores weights as [out, in], so x·w1ᵀ needs a transpose flag, not a copy.
//
// Test it with:  scripts/exercises 5.2
#include <stdexcept>

#include "00_tensors/matmul.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<2> feed_forward_rows(const Tensor<2>& x_NC, const Tensor<2>& w1_FC, const Tensor<1>& b1_F,
                            const Tensor<2>& w2_CF, const Tensor<1>& b2_C) {
    // TODO(ex 5.2): h = x·w1ᵀ + b1; a = relu(h); y = a·w2ᵀ + b2.
    throw std::logic_error("not implemented: exercise 5.2");
}

}  // namespace tfm::exercises
