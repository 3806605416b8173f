// Solution to exercise 9.1 — can a copy model copy sequences longer than any it saw?
#include "09_copy_task/exercises/exercises.hpp"

#include "03_attention/masks.hpp"
#include "09_copy_task/copy_task.hpp"

namespace tfm::exercises {

std::vector<LengthAccuracy> accuracy_by_length(EncoderDecoder& model,
                                               const std::vector<std::size_t>& lengths,
                                               std::size_t count, Rng& rng) {
    model.train(false);
    std::vector<LengthAccuracy> results;
    for (std::size_t length : lengths) {
        const xt::xtensor<std::int64_t, 2> src =
            copy_task_batches(rng, model.config().src_vocab, count, 1, length)[0].src_BM;
        const xt::xtensor<std::int64_t, 2> out =
            greedy_decode(model, src, padding_mask(src, kCopyPad), length, kCopyStart);
        LengthAccuracy a;
        a.length = length;
        a.by_position.assign(length, 0.0);
        for (std::size_t b = 0; b < count; ++b) {
            bool exact = true;
            for (std::size_t l = 0; l < length; ++l) {
                const bool right = out(b, l) == src(b, l);
                a.by_position[l] += right / double(count);
                exact = exact && right;
            }
            a.sequences += exact / double(count);
        }
        results.push_back(a);
    }
    return results;
}

}  // namespace tfm::exercises
