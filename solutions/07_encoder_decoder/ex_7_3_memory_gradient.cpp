// Solution to exercise 7.3 — the memory's gradient, through the whole decoder.
#include "07_encoder_decoder/exercises/exercises.hpp"

namespace tfm::exercises {

xt::xtensor<float, 3> decoder_memory_gradient(EncoderDecoder& model,
                                              const xt::xtensor<float, 3>& memory_BMC,
                                              const xt::xtensor<float, 3>& dout_BLC) {
    // One accumulator for the memory. Every layer's backward adds its cross-attention's
    // share into it — the gradients of the key and of the value, both of which were the
    // memory — so it must start at zero and be the same one for every layer.
    xt::xtensor<float, 3> dmemory_BMC = xt::zeros<float>(memory_BMC.shape());
    // Forward ran the layers bottom to top and then the final norm; backward runs the
    // other way, each layer receiving the gradient the one above it returned.
    xt::xtensor<float, 3> d_BLC = model.decoder_norm.backward(dout_BLC);
    for (std::size_t i = model.decoder_layers.size(); i-- > 0;) {
        d_BLC = model.decoder_layers[i].backward(d_BLC, dmemory_BMC);
    }
    return dmemory_BMC;
}

}  // namespace tfm::exercises
