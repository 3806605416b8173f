// Exercise 4.1 — splitting the channels into heads.
//
// Q = x·W_Q is [B, L, C]. Multi-head attention reads its C channels as H groups of
// K = C/H: head h owns channels h·K .. h·K + K − 1. Rearrange them into [B, H, L, K] so
// that each head's queries form one contiguous [L, K] matrix.
//
// Test it with:  scripts/exercises 4.1
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

Tensor<4> split_into_heads(const Tensor<3>& x_BLC, std::size_t heads) {
    // TODO(ex 4.1): check H divides C, then out(b, h, l, k) = x(b, l, h·K + k).
    throw std::logic_error("not implemented: exercise 4.1");
}

}  // namespace tfm::exercises
