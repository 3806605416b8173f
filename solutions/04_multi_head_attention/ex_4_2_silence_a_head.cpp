// Solution to exercise 4.2 — what is a head? Silence one and watch.
//
// With its queries zero, head h scores every key 0: its softmax is uniform over the keys
// the mask allows, and its output is the plain mean of their values — the head does not
// go away, it stops choosing. The other heads read other channels of the same products
// and do not change at all. To remove head h's contribution, its values (W_V's rows) or
// its columns of W_O would have to go.
#include "04_multi_head_attention/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "00_tensors/gradcheck.hpp"

namespace tfm::exercises {

SilencedHead silence_head_queries(MultiHeadedAttention& mha, const Tensor<3>& x_BLC,
                                  const xt::xtensor<bool, 3>& mask_BXM, std::size_t head) {
    const std::size_t H = mha.heads();
    if (head >= H) {
        throw std::out_of_range("silence_head_queries: head " + std::to_string(head) + " of " +
                                std::to_string(H));
    }
    const Tensor<3> out_BLC = mha.forward(x_BLC, x_BLC, x_BLC, mask_BXM);

    Linear& w_q = mha.linears[0];
    const xt::xarray<float> weight = w_q.weight.value, bias = w_q.bias.value;
    const std::size_t C = w_q.out_features(), K = C / H;
    for (std::size_t r = head * K; r < (head + 1) * K; ++r) {
        for (std::size_t c = 0; c < w_q.in_features(); ++c) w_q.weight.value(r, c) = 0.0f;
        w_q.bias.value(r) = 0.0f;
    }
    const Tensor<3> silenced_BLC = mha.forward(x_BLC, x_BLC, x_BLC, mask_BXM);
    SilencedHead result;
    result.weights_BHLM = mha.attention_weights();
    w_q.weight.value = weight;  // as it was
    w_q.bias.value = bias;

    const Tensor<3> diff_BLC = silenced_BLC - out_BLC;
    result.output_change =
        std::sqrt(dot_double(diff_BLC, diff_BLC)) / std::sqrt(dot_double(out_BLC, out_BLC));
    return result;
}

}  // namespace tfm::exercises
