// Solution to exercise 8.2 — what label smoothing does to a model's confidence.
//
// The smoothed loss is smallest when the model's distribution equals the target q, whose
// entry on the label is 1 − ε: smoothing caps the confidence the model is trained towards.
// Without it the loss keeps falling as the right class's probability approaches 1, so the
// classifier grows ever more certain. Either way it classifies the points correctly.
#include "08_training/exercises/exercises.hpp"

#include <cmath>
#include <vector>

#include "00_tensors/linear.hpp"
#include "07_encoder_decoder/generator.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"

namespace tfm::exercises {

namespace {
constexpr std::size_t kDims = 16;

// n points [1, n, C] around the centres, and their classes [1, n].
void draw(const Tensor<2>& centres_VC, std::size_t n, Rng& rng, Tensor<3>& x_1RC,
          xt::xtensor<std::int64_t, 2>& y_1R) {
    const std::size_t classes = centres_VC.shape()[0] - 1;
    x_1RC = Tensor<3>::from_shape({1, n, kDims});
    y_1R = xt::xtensor<std::int64_t, 2>::from_shape({1, n});
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t label = 1 + rng.below(std::uint32_t(classes));
        y_1R(0, i) = std::int64_t(label);
        for (std::size_t c = 0; c < kDims; ++c)
            x_1RC(0, i, c) = centres_VC(label, c) + rng.normal();
    }
}
}  // namespace

SmoothingEffect train_with_smoothing(std::size_t V, float smoothing, Rng& rng) {
    // Class centres 16 units from the origin in random directions (row 0, padding, unused).
    Tensor<2> centres_VC = xt::zeros<float>({V, kDims});
    for (std::size_t v = 1; v < V; ++v) {
        double norm = 0.0;
        for (std::size_t c = 0; c < kDims; ++c)
            norm += std::pow(centres_VC(v, c) = rng.normal(), 2);
        for (std::size_t c = 0; c < kDims; ++c) centres_VC(v, c) *= float(16.0 / std::sqrt(norm));
    }
    Linear classifier(kDims, V, rng);
    LabelSmoothing criterion(V, 0, smoothing);
    Adam adam(classifier.parameters());
    Tensor<3> x;
    xt::xtensor<std::int64_t, 2> y;
    for (int step = 0; step < 1000; ++step) {
        draw(centres_VC, 64, rng, x, y);
        const Tensor<3> logp = log_softmax(classifier.forward(x));
        criterion.forward(logp, y);
        classifier.backward(log_softmax_backward(logp, criterion.backward(1.0f / 64.0f)));
        adam.step(0.03 * (1.0 - step / 1000.0));
        adam.zero_grad();
    }
    draw(centres_VC, 1000, rng, x, y);
    const Tensor<3> logp = log_softmax(classifier.forward(x));
    SmoothingEffect effect;
    for (std::size_t i = 0; i < 1000; ++i) {
        std::size_t best = 0;
        for (std::size_t v = 1; v < V; ++v)
            if (logp(0, i, v) > logp(0, i, best)) best = v;
        effect.confidence += std::exp(double(logp(0, i, best))) / 1000.0;
        effect.accuracy += (std::int64_t(best) == y(0, i)) / 1000.0;
    }
    return effect;
}

}  // namespace tfm::exercises
