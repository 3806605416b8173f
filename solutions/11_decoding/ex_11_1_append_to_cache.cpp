// Solution to exercise 11.1 — appending to the key/value cache.
#include "11_decoding/exercises/exercises.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

void append_to_cache(xt::xtensor<float, 4>& cache_RHNK, const xt::xtensor<float, 3>& k_R1C,
                     std::size_t position) {
    const std::size_t R = cache_RHNK.shape()[0], H = cache_RHNK.shape()[1],
                      N = cache_RHNK.shape()[2], K = cache_RHNK.shape()[3];
    check_shape("append_to_cache k_R1C", k_R1C, {std::ptrdiff_t(R), 1, std::ptrdiff_t(H * K)});
    if (position >= N) {
        throw std::out_of_range("append_to_cache: position " + std::to_string(position) +
                                " is past the cache's " + std::to_string(N) + " positions");
    }
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t h = 0; h < H; ++h)
            std::copy_n(&k_R1C(r, 0, h * K), K, &cache_RHNK(r, h, position, 0));
}

}  // namespace tfm::exercises
