// Solution to exercise 9.3 — without positions, order is invisible.
#include "09_copy_task/exercises/exercises.hpp"

#include <stdexcept>
#include <string>

#include "03_attention/masks.hpp"
#include "09_copy_task/copy_task.hpp"

namespace tfm::exercises {

OrderMeasurement measure_order(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL,
                               const std::vector<std::size_t>& permutation) {
    const std::size_t B = src_BL.shape()[0], L = src_BL.shape()[1];
    if (L == 0 || permutation.size() != L || permutation[0] != 0) {
        throw std::invalid_argument("measure_order: the permutation must reorder the " +
                                    std::to_string(L) +
                                    " positions and keep position 0 (the start symbol) first");
    }
    std::vector<bool> seen(L, false);
    for (std::size_t p : permutation) {
        if (p >= L || seen[p]) {
            throw std::invalid_argument(
                "measure_order: position " + std::to_string(p) +
                " is outside the sequence or appears twice in the permutation");
        }
        seen[p] = true;
    }
    xt::xtensor<std::int64_t, 2> permuted_BL = xt::xtensor<std::int64_t, 2>::from_shape({B, L});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t l = 0; l < L; ++l) permuted_BL(b, l) = src_BL(b, permutation[l]);

    model.train(false);
    const xt::xtensor<std::int64_t, 2> decoded_BL =
        greedy_decode(model, src_BL, padding_mask(src_BL, kCopyPad), L, kCopyStart);
    const xt::xtensor<std::int64_t, 2> decoded_permuted_BL =
        greedy_decode(model, permuted_BL, padding_mask(permuted_BL, kCopyPad), L, kCopyStart);

    std::size_t copied = 0, same = 0;
    for (std::size_t b = 0; b < B; ++b) {
        bool row_copied = true, row_same = true;
        for (std::size_t l = 0; l < L; ++l) {
            row_copied = row_copied && decoded_BL(b, l) == src_BL(b, l);
            row_same = row_same && decoded_BL(b, l) == decoded_permuted_BL(b, l);
        }
        copied += row_copied;
        same += row_same;
    }
    OrderMeasurement measured;
    if (B > 0) {
        measured.copy_accuracy = double(copied) / double(B);
        measured.same_when_permuted = double(same) / double(B);
    }
    return measured;
}

}  // namespace tfm::exercises
