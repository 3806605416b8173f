// Exercise 4.2 (experiment) — what is a head? Silence one and watch.
//
// The chapter says the heads are nothing but a way of reading W_Q's output: head h,
// counted from 0, owns channels h·K … h·K + K − 1. Test that reading. Zero what makes
// head h's queries — rows h·K … h·K + K − 1 of linears[0].weight, which is stored
// [out, in] (they are the page's columns of W_Q), and the same entries of its bias — run
// the module again, and look at every head's attention weights and at the output.
// Predict before you run it: what do head h's weights become? And the other heads'? Does
// the output stop depending on head h?
//
// Test it with:  scripts/exercises 4.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

SilencedHead silence_head_queries(MultiHeadedAttention& mha, const Tensor<3>& x_BLC,
                                  const xt::xtensor<bool, 3>& mask_BXM, std::size_t head) {
    // TODO(ex 4.2): the output as it is; silence, run again, keep the weights; restore.
    throw std::logic_error("not implemented: exercise 4.2");
}

}  // namespace tfm::exercises
