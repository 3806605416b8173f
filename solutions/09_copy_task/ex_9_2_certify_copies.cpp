// Solution to exercise 9.2 — which sources must greedy decoding copy?
//
// With the causal mask, the decoder's output at position t depends only on the input
// tokens 0 … t. Greedy step 1 sees [start], exactly teacher forcing's prefix; if the label
// is the argmax there, greedy appends the label and step 2 again sees teacher forcing's
// prefix; by induction the whole target comes out. Conversely, if greedy copies, every
// step saw teacher forcing's prefix and chose the label, so the label was the argmax
// every time. A probability above 1/2 is always the argmax (the rest share less than
// 1/2): so a per-token loss below log 2 at every position guarantees the copy — a
// sufficient condition only, and the bridge between the training loss and decoding.
#include "09_copy_task/exercises/exercises.hpp"

#include <cmath>

#include <xtensor/xview.hpp>

#include "03_attention/masks.hpp"
#include "07_encoder_decoder/generator.hpp"

namespace tfm::exercises {

CopyCertificate certify_copies(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL) {
    const std::size_t B = src_BL.shape()[0], L = src_BL.shape()[1] - 1;
    model.train(false);
    const xt::xtensor<std::int64_t, 2> tgt_in = xt::view(src_BL, xt::all(), xt::range(0, L));
    const Tensor<3> logp = model.generator.forward(
        model.forward(src_BL, tgt_in, padding_mask(src_BL, 0), subsequent_mask(L)));
    const std::size_t V = logp.shape()[2];
    CopyCertificate c;
    for (std::size_t b = 0; b < B; ++b) {
        bool argmax = true, half = true;
        for (std::size_t t = 0; t < L; ++t) {
            const std::size_t label = std::size_t(src_BL(b, t + 1));
            for (std::size_t v = 0; v < V; ++v)
                if (v != label && logp(b, t, v) >= logp(b, t, label)) argmax = false;
            if (!(logp(b, t, label) > std::log(0.5f))) half = false;
        }
        c.argmax_everywhere.push_back(argmax);
        c.all_above_half.push_back(half);
    }
    return c;
}

}  // namespace tfm::exercises
