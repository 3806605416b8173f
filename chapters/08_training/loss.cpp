// loss.cpp — label smoothing and cross-entropy, with their gradients.
#include "loss.hpp"

#include <array>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "00_tensors/parallel.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm {

namespace {
void check_labels(const Tensor<3>& logp_BLV, const xt::xtensor<std::int64_t, 2>& y_BL,
                  const char* who) {
    check_shape(std::string(who) + " labels y_BL", y_BL,
                {std::ptrdiff_t(logp_BLV.shape()[0]), std::ptrdiff_t(logp_BLV.shape()[1])});
    const std::size_t V = logp_BLV.shape()[2];
    for (std::int64_t y : y_BL) {
        if (y < 0 || std::size_t(y) >= V) {
            throw std::out_of_range(std::string(who) + ": label " + std::to_string(y) +
                                    " is outside [0, " + std::to_string(V) + ")");
        }
    }
}
}  // namespace

LabelSmoothing::LabelSmoothing(std::size_t vocab, std::int64_t padding_idx, float smoothing)
    : vocab_(vocab), padding_idx_(padding_idx), smoothing_(smoothing) {
    if (vocab < 3)
        throw std::invalid_argument(
            "LabelSmoothing: needs at least 3 classes (label, pad, another)");
    if (!(smoothing >= 0.0f && smoothing < 1.0f)) {
        throw std::invalid_argument("LabelSmoothing: smoothing must be in [0, 1), got " +
                                    std::to_string(smoothing));
    }
}

//! [label smoothing]
Tensor<3> LabelSmoothing::target_distribution(const xt::xtensor<std::int64_t, 2>& y_BL) const {
    const std::size_t B = y_BL.shape()[0], L = y_BL.shape()[1], V = vocab_;
    Tensor<3> q_BLV = Tensor<3>::from_shape({B, L, V});
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

double LabelSmoothing::forward(const Tensor<3>& logp_BLV,
                               const xt::xtensor<std::int64_t, 2>& y_BL) {
    check_shape("LabelSmoothing logp_BLV", logp_BLV, {kAny, kAny, std::ptrdiff_t(vocab_)});
    check_labels(logp_BLV, y_BL, "LabelSmoothing");
    q_BLV_ = target_distribution(y_BL);
    // KL(q ‖ p) = Σ q·(log q − log p), over the entries where q > 0: a zero of q contributes
    // nothing, even where log p is −inf (the Annotated Transformer's plot gets NaN there).
    // q takes only two non-zero values, so their logarithms are computed once.
    const double spread = smoothing_ / double(vocab_ - 2), confidence = 1.0 - smoothing_;
    const double log_spread = spread > 0 ? std::log(spread) : 0.0,
                 log_confidence = std::log(confidence);
    double loss = 0.0;
    for (std::size_t i = 0; i < q_BLV_.size(); ++i) {
        const double q = q_BLV_.data()[i];
        if (q > 0.0)
            loss += q * ((q == float(confidence) ? log_confidence : log_spread) -
                         double(logp_BLV.data()[i]));
    }
    return loss;
}
//! [label smoothing]

//! [fused loss]
double LabelSmoothing::forward_backward_logits(Tensor<3>& z_BLV,
                                               const xt::xtensor<std::int64_t, 2>& y_BL,
                                               float scale) {
    check_shape("LabelSmoothing logits z_BLV", z_BLV, {kAny, kAny, std::ptrdiff_t(vocab_)});
    check_labels(z_BLV, y_BL, "LabelSmoothing");
    const std::size_t V = vocab_, rows = y_BL.size();
    const float spread = smoothing_ / float(V - 2), confidence = 1.0f - smoothing_;
    const bool has_pad = padding_idx_ >= 0 && std::size_t(padding_idx_) < V;
    // Every row with a real label has the same q up to where the label is: its Σ q and
    // Σ q log q are constants (Σ q = 1 when there is a padding column).
    const double spread_count = double(V - 1 - (has_pad ? 1 : 0));
    const double sum_q = confidence + spread_count * spread;
    const double q_log_q = confidence * std::log(double(confidence)) +
                           (spread > 0 ? spread_count * spread * std::log(double(spread)) : 0.0);
    // Rows are independent: the cores share them (parallel.hpp); each row's loss is kept
    // and summed in order afterwards, so the total does not depend on the cores.
    std::vector<double> row_loss(rows, 0.0);
    parallel_for(rows, 8, [&](std::size_t first, std::size_t last) {
        for (std::size_t r = first; r < last; ++r) {
            float* z = z_BLV.data() + r * V;
            const std::int64_t y = y_BL.data()[r];
            if (y == padding_idx_) {
                if (scale > 0.0f) std::fill(z, z + V, 0.0f);  // a padding label teaches nothing
                continue;
            }
            auto row = xt::adapt(z, V, xt::no_ownership(), std::array<std::size_t, 1>{V});
            const float z_max = xt::amax(row)();
            const double z_sum = xt::sum(row, xt::evaluation_strategy::immediate)();
            const float z_label = z[y], z_pad = has_pad ? z[padding_idx_] : 0.0f;
            // p = exp(z − max) / Σ, computed over z in place (it is needed for the gradient).
            xt::noalias(row) = xt::exp(row - z_max);
            const double total = xt::sum(row, xt::evaluation_strategy::immediate)();
            const double lse = double(z_max) + std::log(total);  // log Σ exp z
            // Σ q·logp with logp = z − lse: confidence on the label, spread on the others but
            // the label and the padding column.
            const double logp_label = z_label - lse, logp_pad = has_pad ? z_pad - lse : 0.0;
            const double sum_logp = z_sum - double(V) * lse;
            row_loss[r] =
                q_log_q - (confidence * logp_label + spread * (sum_logp - logp_label - logp_pad));
            if (scale > 0.0f) {
                // ∂(scale·L)/∂z = scale·(Σq·p − q).
                xt::noalias(row) = row * float(scale * sum_q / total) - scale * spread;
                z[y] += scale * spread - scale * confidence;
                if (has_pad) z[padding_idx_] += scale * spread;
            }
        }
    });
    double loss = 0.0;
    for (double l : row_loss) loss += l;
    return loss;
}
//! [fused loss]

Tensor<3> LabelSmoothing::backward(float scale) const {
    Tensor<3> dlogp_BLV = -scale * q_BLV_;
    return dlogp_BLV;
}

double LabelSmoothing::target_entropy() const {
    double h = 0.0;
    for (float q : q_BLV_) {
        if (q > 0.0f) h -= double(q) * std::log(double(q));
    }
    return h;
}

double cross_entropy(const Tensor<3>& logp_BLV, const xt::xtensor<std::int64_t, 2>& y_BL,
                     std::int64_t padding_idx) {
    check_labels(logp_BLV, y_BL, "cross_entropy");
    double loss = 0.0;
    for (std::size_t b = 0; b < y_BL.shape()[0]; ++b)
        for (std::size_t l = 0; l < y_BL.shape()[1]; ++l)
            if (y_BL(b, l) != padding_idx) loss -= logp_BLV(b, l, std::size_t(y_BL(b, l)));
    return loss;
}

Tensor<3> cross_entropy_backward(const Tensor<3>& logp_BLV,
                                 const xt::xtensor<std::int64_t, 2>& y_BL, std::int64_t padding_idx,
                                 float scale) {
    check_labels(logp_BLV, y_BL, "cross_entropy");
    Tensor<3> dlogp_BLV = xt::zeros<float>(logp_BLV.shape());
    for (std::size_t b = 0; b < y_BL.shape()[0]; ++b)
        for (std::size_t l = 0; l < y_BL.shape()[1]; ++l)
            if (y_BL(b, l) != padding_idx) dlogp_BLV(b, l, std::size_t(y_BL(b, l))) = -scale;
    return dlogp_BLV;
}

}  // namespace tfm
