// Solution to exercise 5.2 — how large is the network's output at initialisation?
//
// Xavier gives w_1 entries of variance 2/(C + F), so h = w_1(x) has variance
// C·2/(C + F) (+ the bias's 1/(3C)): 0.4 for F = 4C. ReLU keeps half of h's second moment.
// w_2 multiplies it by F·2/(C + F), 1.6 for F = 4C. So y has about 0.4 · 0.5 · 1.6 = 0.32
// of x's mean square (0.5 for F = C): the sublayer starts small against the residual.
#include "05_feed_forward/exercises/exercises.hpp"

#include "00_tensors/gradcheck.hpp"
#include "05_feed_forward/feed_forward.hpp"

namespace tfm::exercises {

double feed_forward_output_scale(std::size_t C, std::size_t F, Rng& rng) {
    PositionwiseFeedForward ffn(C, F, 0.0f, rng);
    xavier_uniform(ffn.w_1.weight.value, rng);
    xavier_uniform(ffn.w_2.weight.value, rng);
    Tensor<3> x_BLC = Tensor<3>::from_shape({8, 16, C});
    fill_normal(x_BLC, 0.0f, 1.0f, rng);
    const Tensor<3> y_BLC = ffn.forward(x_BLC);
    return dot_double(y_BLC, y_BLC) / dot_double(x_BLC, x_BLC);
}

}  // namespace tfm::exercises
