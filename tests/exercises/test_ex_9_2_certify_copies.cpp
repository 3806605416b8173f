// Tests for exercise 9.2 — which sources must greedy decoding copy?
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <xtensor/xview.hpp>

#include "00_tensors/random.hpp"
#include "03_attention/masks.hpp"
#include "09_copy_task/exercises/exercises.hpp"
#include "exercises/copy_model.hpp"

using tfm::exercises::certify_copies;
using tfm::exercises::CopyCertificate;

namespace {
using Ids = xt::xtensor<std::int64_t, 2>;

// The teacher-forced pass, as training runs it: the generator's logits [B, L − 1, V] for
// the decoder input src[:, 0 … L − 2], whose labels are src[:, 1 … L − 1].
tfm::Tensor<3> teacher_forced_logits(tfm::EncoderDecoder& model, const Ids& src) {
    const std::size_t L = src.shape()[1] - 1;
    const Ids tgt_in = xt::view(src, xt::all(), xt::range(0, L));
    return model.generator.logits(
        model.forward(src, tgt_in, tfm::padding_mask(src, tfm::kCopyPad), tfm::subsequent_mask(L)));
}

// The probability that source b's least likely label gets, with every logit multiplied
// by `scale` (what multiplying the generator's weight and bias by it does).
double smallest_label_probability(const tfm::Tensor<3>& z_BLV, const Ids& src, std::size_t b,
                                  double scale = 1.0) {
    const std::size_t L = z_BLV.shape()[1], V = z_BLV.shape()[2];
    double smallest = 1.0;
    for (std::size_t l = 0; l < L; ++l) {
        double top = -std::numeric_limits<double>::infinity();
        for (std::size_t v = 0; v < V; ++v) top = std::max(top, scale * z_BLV(b, l, v));
        double sum = 0.0;
        for (std::size_t v = 0; v < V; ++v) sum += std::exp(scale * z_BLV(b, l, v) - top);
        const std::size_t label = std::size_t(src(b, l + 1));
        smallest = std::min(smallest, std::exp(scale * z_BLV(b, l, label) - top) / sum);
    }
    return smallest;
}

// By how much source b's labels beat every other token, at the closest position.
double smallest_margin(const tfm::Tensor<3>& z_BLV, const Ids& src, std::size_t b) {
    const std::size_t L = z_BLV.shape()[1], V = z_BLV.shape()[2];
    double smallest = std::numeric_limits<double>::infinity();
    for (std::size_t l = 0; l < L; ++l) {
        const std::size_t label = std::size_t(src(b, l + 1));
        for (std::size_t v = 0; v < V; ++v)
            if (v != label)
                smallest = std::min(smallest, double(z_BLV(b, l, label)) - z_BLV(b, l, v));
    }
    return smallest;
}

// all_above_half against the truth of the teacher-forced pass, source by source. A source
// whose least likely label is within 1e-4 of 1/2 is left out: rounding may decide it
// either way.
void check_above_half(const CopyCertificate& c, const tfm::Tensor<3>& z_BLV, const Ids& src) {
    for (std::size_t b = 0; b < src.shape()[0]; ++b) {
        const double p = smallest_label_probability(z_BLV, src, b);
        if (std::abs(p - 0.5) < 1e-4) continue;
        INFO("source " << b << ": its least likely label has probability " << p
                       << ", every label above 1/2 " << c.all_above_half[b]);
        CHECK(c.all_above_half[b] == (p > 0.5));
    }
}

// The scale at which source b's least likely label gets probability `target`. For a
// source whose labels are the argmax everywhere, that probability grows with the scale,
// from 1/|V| towards 1: bisection (on the logarithm of the scale) finds it.
double scale_for(const tfm::Tensor<3>& z_BLV, const Ids& src, std::size_t b, double target) {
    double lo = 1e-3, hi = 1e3;
    REQUIRE(smallest_label_probability(z_BLV, src, b, lo) < target);
    REQUIRE(smallest_label_probability(z_BLV, src, b, hi) > target);
    for (int i = 0; i < 200; ++i) {
        const double mid = std::sqrt(lo * hi);
        (smallest_label_probability(z_BLV, src, b, mid) < target ? lo : hi) = mid;
    }
    return std::sqrt(lo * hi);
}
}  // namespace

TEST_CASE(
    "exercise 9.2: argmax everywhere exactly when greedy copies; every label above 1/2 exactly "
    "when the teacher-forced pass says so") {
    // Three epochs: a model that copies some sources and not others.
    tfm::EncoderDecoder model(tfm::testing::small_copy_model(), 7);
    tfm::testing::train_copy_model(model, 3, 8);
    tfm::Rng rng(92);
    const Ids src = tfm::copy_task_batches(rng, tfm::testing::kCopyVocab, 200, 1, 8)[0].src_BM;
    const CopyCertificate c = certify_copies(model, src);
    REQUIRE(c.argmax_everywhere.size() == 200);
    REQUIRE(c.all_above_half.size() == 200);
    const auto out =
        tfm::greedy_decode(model, src, tfm::padding_mask(src, tfm::kCopyPad), 8, tfm::kCopyStart);
    std::vector<bool> copies(200);
    std::size_t copied = 0, above_half = 0;
    for (std::size_t b = 0; b < 200; ++b) {
        bool same = true;
        for (std::size_t l = 0; l < 8; ++l) same = same && out(b, l) == src(b, l);
        copies[b] = same;
        copied += same;
        above_half += c.all_above_half[b];
        INFO("source " << b << ": decoded exactly " << same << ", argmax everywhere "
                       << c.argmax_everywhere[b] << ", every label above 1/2 "
                       << c.all_above_half[b]);
        CHECK(c.argmax_everywhere[b] == same);
        if (c.all_above_half[b]) CHECK(same);
    }
    INFO(copied << " of 200 copied, " << above_half << " with every label above 1/2");
    // A model half-way through training, so that both answers occur.
    CHECK(copied > 10);
    CHECK(copied < 190);
    CHECK(above_half <= copied);
    // The second claim, against the teacher-forced pass itself.
    const tfm::Tensor<3> z_BLV = teacher_forced_logits(model, src);
    check_above_half(c, z_BLV, src);

    // The generator's scale changes how sure the model is, not what it prefers: multiply
    // its weight and bias by s and every logit is multiplied by s, each row's order stays,
    // and a label that is the argmax gets a probability that grows with s. Take the copied
    // source whose labels win most clearly, and choose s so that its least likely label
    // gets 0.55, then 0.45: greedy copies it both times, but only the first is certified.
    std::size_t clearest = 200;
    double widest = 0.0;
    for (std::size_t b = 0; b < 200; ++b) {
        const double margin = smallest_margin(z_BLV, src, b);
        if (copies[b] && margin > widest) {
            clearest = b;
            widest = margin;
        }
    }
    REQUIRE(clearest < 200);
    REQUIRE(widest > 0.01);
    const xt::xarray<float> weight = model.generator.proj.weight.value;
    const xt::xarray<float> bias = model.generator.proj.bias.value;
    for (const double target : {0.55, 0.45}) {
        const double s = scale_for(z_BLV, src, clearest, target);
        model.generator.proj.weight.value = weight * float(s);
        model.generator.proj.bias.value = bias * float(s);
        const CopyCertificate scaled = certify_copies(model, src);
        REQUIRE(scaled.argmax_everywhere.size() == 200);
        REQUIRE(scaled.all_above_half.size() == 200);
        INFO("generator scaled by " << s << ": source " << clearest
                                    << "'s least likely label has probability " << target);
        CHECK(scaled.argmax_everywhere[clearest]);
        CHECK(scaled.all_above_half[clearest] == (target > 0.5));
        check_above_half(scaled, teacher_forced_logits(model, src), src);
    }
}
