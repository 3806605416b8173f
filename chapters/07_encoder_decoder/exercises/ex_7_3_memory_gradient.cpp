// Exercise 7.3 — the memory's gradient, through the whole decoder.
//
// The encoder's output, the memory, is read by the cross-attention of every decoder
// layer, as the key and as the value. Its gradient is therefore a sum over everything
// that read it, and it is where the encoder's backward starts. The decoder's pieces are
// public — model.decoder_layers and model.decoder_norm — and each has a backward; look
// at their declarations to see what each one gives back and what it adds to.
//
// Test it with:  scripts/exercises 7.3
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<3> decoder_memory_gradient(EncoderDecoder& model, const Tensor<3>& memory_BMC,
                                  const Tensor<3>& dout_BLC) {
    // TODO(ex 7.3): ∂L/∂memory [B, M, C], through the decoder's backward.
    throw std::logic_error("not implemented: exercise 7.3");
}

}  // namespace tfm::exercises
