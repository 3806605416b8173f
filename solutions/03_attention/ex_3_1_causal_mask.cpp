// Solution to exercise 3.1 — the causal ("subsequent") mask.
#include "03_attention/exercises/exercises.hpp"

namespace tfm::exercises {

xt::xtensor<bool, 2> causal_mask(std::size_t length) {
    xt::xtensor<bool, 2> mask_LL = xt::xtensor<bool, 2>::from_shape({length, length});
    for (std::size_t l = 0; l < length; ++l) {
        for (std::size_t m = 0; m < length; ++m) mask_LL(l, m) = m <= l;
    }
    return mask_LL;
}

}  // namespace tfm::exercises
