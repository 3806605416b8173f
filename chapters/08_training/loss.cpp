// loss.cpp — label smoothing and cross-entropy, with their gradients.
#include "loss.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "00_tensors/shapes.hpp"

namespace tfm {

namespace {
void check_labels(const xt::xtensor<float, 3>& logp_BLV, const xt::xtensor<std::int64_t, 2>& y_BL, const char* who) {
    check_shape(std::string(who) + " labels y_BL", y_BL,
                {std::ptrdiff_t(logp_BLV.shape()[0]), std::ptrdiff_t(logp_BLV.shape()[1])});
    const std::size_t V = logp_BLV.shape()[2];
    for (std::int64_t y : y_BL) {
        if (y < 0 || std::size_t(y) >= V) {
            throw std::out_of_range(std::string(who) + ": label " + std::to_string(y) + " is outside [0, " +
                                    std::to_string(V) + ")");
        }
    }
}
}  // namespace

LabelSmoothing::LabelSmoothing(std::size_t vocab, std::int64_t padding_idx, float smoothing)
    : vocab_(vocab), padding_idx_(padding_idx), smoothing_(smoothing) {
    if (vocab < 3) throw std::invalid_argument("LabelSmoothing: needs at least 3 classes (label, pad, another)");
    if (!(smoothing >= 0.0f && smoothing < 1.0f)) {
        throw std::invalid_argument("LabelSmoothing: smoothing must be in [0, 1), got " + std::to_string(smoothing));
    }
}

//! [label smoothing]
xt::xtensor<float, 3> LabelSmoothing::target_distribution(const xt::xtensor<std::int64_t, 2>& y_BL) const {
    const std::size_t B = y_BL.shape()[0], L = y_BL.shape()[1], V = vocab_;
    xt::xtensor<float, 3> q_BLV = xt::xtensor<float, 3>::from_shape({B, L, V});
    // ε spread over V − 2 classes: every class but the label and the padding token.
    q_BLV.fill(smoothing_ / static_cast<float>(V - 2));
    for (std::size_t b = 0; b < B; ++b) {
        for (std::size_t l = 0; l < L; ++l) {
            float* q_V = &q_BLV(b, l, 0);
            const std::int64_t y = y_BL(b, l);
            if (y == padding_idx_) {  // a padding label teaches nothing: the whole row is 0
                std::fill(q_V, q_V + V, 0.0f);
                continue;
            }
            q_V[static_cast<std::size_t>(y)] = 1.0f - smoothing_;  // the confidence
            if (padding_idx_ >= 0 && std::size_t(padding_idx_) < V) q_V[padding_idx_] = 0.0f;
        }
    }
    return q_BLV;
}

double LabelSmoothing::forward(const xt::xtensor<float, 3>& logp_BLV, const xt::xtensor<std::int64_t, 2>& y_BL) {
    check_shape("LabelSmoothing logp_BLV", logp_BLV, {kAny, kAny, std::ptrdiff_t(vocab_)});
    check_labels(logp_BLV, y_BL, "LabelSmoothing");
    q_BLV_ = target_distribution(y_BL);
    // KL(q ‖ p) = Σ q·(log q − log p), over the entries where q > 0: a zero of q contributes
    // nothing, even where log p is −inf (the Annotated Transformer's plot gets NaN there).
    double loss = 0.0;
    for (std::size_t i = 0; i < q_BLV_.size(); ++i) {
        const double q = q_BLV_.data()[i];
        if (q > 0.0) loss += q * (std::log(q) - double(logp_BLV.data()[i]));
    }
    return loss;
}
//! [label smoothing]

xt::xtensor<float, 3> LabelSmoothing::backward(float scale) const {
    xt::xtensor<float, 3> dlogp_BLV = -scale * q_BLV_;
    return dlogp_BLV;
}

double LabelSmoothing::target_entropy() const {
    double h = 0.0;
    for (float q : q_BLV_) {
        if (q > 0.0f) h -= double(q) * std::log(double(q));
    }
    return h;
}

double cross_entropy(const xt::xtensor<float, 3>& logp_BLV, const xt::xtensor<std::int64_t, 2>& y_BL,
                     std::int64_t padding_idx) {
    check_labels(logp_BLV, y_BL, "cross_entropy");
    double loss = 0.0;
    for (std::size_t b = 0; b < y_BL.shape()[0]; ++b)
        for (std::size_t l = 0; l < y_BL.shape()[1]; ++l)
            if (y_BL(b, l) != padding_idx) loss -= logp_BLV(b, l, std::size_t(y_BL(b, l)));
    return loss;
}

xt::xtensor<float, 3> cross_entropy_backward(const xt::xtensor<float, 3>& logp_BLV,
                                             const xt::xtensor<std::int64_t, 2>& y_BL, std::int64_t padding_idx,
                                             float scale) {
    check_labels(logp_BLV, y_BL, "cross_entropy");
    xt::xtensor<float, 3> dlogp_BLV = xt::zeros<float>(logp_BLV.shape());
    for (std::size_t b = 0; b < y_BL.shape()[0]; ++b)
        for (std::size_t l = 0; l < y_BL.shape()[1]; ++l)
            if (y_BL(b, l) != padding_idx) dlogp_BLV(b, l, std::size_t(y_BL(b, l))) = -scale;
    return dlogp_BLV;
}

}  // namespace tfm
