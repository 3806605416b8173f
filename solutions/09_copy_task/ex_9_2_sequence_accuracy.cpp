// Solution to exercise 9.2 — how many sequences were copied exactly?
#include "09_copy_task/exercises/exercises.hpp"

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

double sequence_accuracy(const xt::xtensor<std::int64_t, 2>& predicted_BL,
                         const xt::xtensor<std::int64_t, 2>& expected_BL, std::int64_t pad) {
    check_shape("sequence_accuracy predicted_BL", predicted_BL,
                {std::ptrdiff_t(expected_BL.shape()[0]), std::ptrdiff_t(expected_BL.shape()[1])});
    const std::size_t B = expected_BL.shape()[0], L = expected_BL.shape()[1];
    if (B == 0) return 0.0;
    std::size_t right = 0;
    for (std::size_t b = 0; b < B; ++b) {
        bool ok = true;
        for (std::size_t l = 0; l < L; ++l) {
            if (expected_BL(b, l) != pad && predicted_BL(b, l) != expected_BL(b, l)) ok = false;
        }
        right += ok;
    }
    return double(right) / double(B);
}

}  // namespace tfm::exercises
