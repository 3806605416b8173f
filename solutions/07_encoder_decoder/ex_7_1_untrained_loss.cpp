// Solution to exercise 7.1 — how wrong is an untrained model?
//
// The decoder's final norm gives vectors h of squared length ≈ C, and the generator's
// Xavier weights have variance 2/(C + |V|), so each row's logits are ≈ independent with
// variance σ² ≈ 2C/(C + |V|) (plus the bias's 1/(3C)). With a label unrelated to them,
// the expected loss is E[log Σ_v exp z_v], which Jensen's inequality puts between log |V|
// (all logits equal) and log |V| + σ²/2: an untrained model is confidently wrong, by up to
// about one nat when |V| is much smaller than C.
#include "07_encoder_decoder/exercises/exercises.hpp"

#include <xtensor/xview.hpp>

#include "03_attention/masks.hpp"
#include "07_encoder_decoder/generator.hpp"

namespace tfm::exercises {

UntrainedLoss untrained_loss(const ModelConfig& config, std::uint64_t seed) {
    const std::size_t B = 16, T = 12;
    EncoderDecoder model(config, seed);
    model.train(false);
    auto draw = [&](std::size_t vocab) {
        xt::xtensor<std::int64_t, 2> ids = xt::xtensor<std::int64_t, 2>::from_shape({B, T});
        for (auto& id : ids) id = 1 + std::int64_t(model.rng().below(std::uint32_t(vocab - 1)));
        return ids;
    };
    const xt::xtensor<std::int64_t, 2> src = draw(config.src_vocab), tgt = draw(config.tgt_vocab);
    const xt::xtensor<std::int64_t, 2> tgt_in = xt::view(tgt, xt::all(), xt::range(0, T - 1));
    const Tensor<3> out = model.forward(src, tgt_in, padding_mask(src, 0), decoder_mask(tgt_in, 0));
    const Tensor<3> z = model.generator.logits(out);  // [B, T − 1, V]
    const Tensor<3> logp = log_softmax(z);
    const std::size_t V = z.shape()[2];
    UntrainedLoss result;
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t + 1 < T; ++t) {
            result.loss -= logp(b, t, std::size_t(tgt(b, t + 1)));
            double mean = 0.0, sq = 0.0;
            for (std::size_t v = 0; v < V; ++v) mean += z(b, t, v) / double(V);
            for (std::size_t v = 0; v < V; ++v) sq += (z(b, t, v) - mean) * (z(b, t, v) - mean);
            result.logit_variance += sq / double(V);
        }
    const double rows = double(B * (T - 1));
    result.loss /= rows;
    result.logit_variance /= rows;
    return result;
}

}  // namespace tfm::exercises
