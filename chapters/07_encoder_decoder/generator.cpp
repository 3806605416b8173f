// generator.cpp — Linear then log-softmax, and back.
#include "generator.hpp"

#include <cmath>

#include "00_tensors/shapes.hpp"

namespace tfm {

//! [log softmax]
Tensor<3> log_softmax(const Tensor<3>& z_BLV) {
    const std::size_t V = z_BLV.shape()[2], rows = V ? z_BLV.size() / V : 0;
    Tensor<3> logp_BLV = Tensor<3>::from_shape(z_BLV.shape());
    for (std::size_t r = 0; r < rows; ++r) {
        const float* z = z_BLV.data() + r * V;
        float* out = logp_BLV.data() + r * V;
        float max = z[0];
        for (std::size_t v = 1; v < V; ++v) max = std::max(max, z[v]);
        double sum = 0.0;  // Σ exp(z − max) ∈ [1, V]: its log never overflows
        for (std::size_t v = 0; v < V; ++v) sum += std::exp(double(z[v]) - max);
        const float log_sum = static_cast<float>(std::log(sum));
        for (std::size_t v = 0; v < V; ++v) out[v] = (z[v] - max) - log_sum;
    }
    return logp_BLV;
}

Tensor<3> log_softmax_backward(const Tensor<3>& logp_BLV, const Tensor<3>& dlogp_BLV) {
    if (logp_BLV.shape() != dlogp_BLV.shape()) {
        throw ShapeError("log_softmax_backward: dlogp has shape " +
                         shape_to_string(dlogp_BLV.shape()) + ", expected " +
                         shape_to_string(logp_BLV.shape()));
    }
    const std::size_t V = logp_BLV.shape()[2], rows = V ? logp_BLV.size() / V : 0;
    Tensor<3> dz_BLV = Tensor<3>::from_shape(logp_BLV.shape());
    for (std::size_t r = 0; r < rows; ++r) {
        const float* logp = logp_BLV.data() + r * V;
        const float* dlogp = dlogp_BLV.data() + r * V;
        float* dz = dz_BLV.data() + r * V;
        double total = 0.0;
        for (std::size_t v = 0; v < V; ++v) total += dlogp[v];
        for (std::size_t v = 0; v < V; ++v)
            dz[v] = dlogp[v] - std::exp(logp[v]) * static_cast<float>(total);
    }
    return dz_BLV;
}
//! [log softmax]

Generator::Generator(std::size_t d_model, std::size_t vocab, Rng& rng, const std::string& prefix)
    : proj(d_model, vocab, rng, prefix + "proj.") {}

Tensor<3> Generator::forward(const Tensor<3>& x_BLC) {
    logp_BLV_ = log_softmax(proj.forward(x_BLC));
    return logp_BLV_;
}

Tensor<3> Generator::backward(const Tensor<3>& dlogp_BLV) {
    return proj.backward(log_softmax_backward(logp_BLV_, dlogp_BLV));
}

}  // namespace tfm
