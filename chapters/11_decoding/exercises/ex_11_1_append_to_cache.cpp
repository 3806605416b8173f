// Exercise 11.1 — appending to the key/value cache.
//
// Every decoding step computes one new key (and value) per row, for all heads at once,
// in the merged [R, 1, C] layout that W_K produces. The cache keeps them per head, so
// that each head's keys form one contiguous [N, K] block to attend over. Move the new
// keys into their place.
//
// Test it with:  scripts/exercises 11.1
#include <stdexcept>

#include "00_tensors/shapes.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

void append_to_cache(Tensor<4>& cache_RHNK, const Tensor<3>& k_R1C, std::size_t position) {
    // TODO(ex 11.1): check the shapes and the position, then copy each head's K channels.
    throw std::logic_error("not implemented: exercise 11.1");
}

}  // namespace tfm::exercises
