// kv_cache.cpp — writing a position, attending over the cache, keeping rows.
#include "kv_cache.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "00_tensors/softmax.hpp"
#include "03_attention/attention.hpp"

namespace tfm {

//! [append position]
void append_position(Tensor<4>& cache_RHMK, const Tensor<3>& x_R1C, std::size_t position) {
    const std::size_t R = cache_RHMK.shape()[0], H = cache_RHMK.shape()[1],
                      M = cache_RHMK.shape()[2], K = cache_RHMK.shape()[3];
    check_shape("x_R1C", x_R1C, {std::ptrdiff_t(R), 1, std::ptrdiff_t(H * K)});
    if (position >= M) {
        throw std::out_of_range("append_position: position " + std::to_string(position) +
                                " of a cache of " + std::to_string(M));
    }
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t h = 0; h < H; ++h)
            std::copy_n(&x_R1C(r, 0, h * K), K, &cache_RHMK(r, h, position, 0));
}
//! [append position]

//! [attend one]
Tensor<3> attend_one(const Tensor<3>& q_R1C, const Tensor<4>& k_RHMK, const Tensor<4>& v_RHMK,
                     std::size_t m, const xt::xtensor<bool, 3>* mask_R1M) {
    const std::size_t R = q_R1C.shape()[0], H = k_RHMK.shape()[1], capacity = k_RHMK.shape()[2],
                      K = k_RHMK.shape()[3], Hq = q_R1C.shape()[2] / K;
    if (q_R1C.shape()[1] != 1 || Hq * K != q_R1C.shape()[2] || Hq % H != 0 || m > capacity) {
        throw ShapeError("attend_one: q_R1C has shape " + shape_to_string(q_R1C.shape()) +
                         ", expected [R, 1, a multiple of " + std::to_string(H) + " heads of " +
                         std::to_string(K) + "] and m <= " + std::to_string(capacity));
    }
    const std::size_t group = Hq / H;  // query heads per key/value head
    const float scale = 1.0f / std::sqrt(static_cast<float>(K));
    Tensor<3> out_R1C = xt::zeros<float>({R, std::size_t(1), Hq * K});
    std::vector<float> p(m);
    for (std::size_t r = 0; r < R; ++r) {
        for (std::size_t h = 0; h < Hq; ++h) {
            const float* q = q_R1C.data() + (r * Hq + h) * K;
            const float* keys = k_RHMK.data() + (r * H + h / group) * capacity * K;
            const float* values = v_RHMK.data() + (r * H + h / group) * capacity * K;
            for (std::size_t j = 0; j < m; ++j) {
                float dot = 0.0f;
                for (std::size_t i = 0; i < K; ++i) dot += q[i] * keys[j * K + i];
                p[j] = (mask_R1M != nullptr && !(*mask_R1M)(r, 0, j)) ? kMaskedScore : dot * scale;
            }
            softmax_rows(p.data(), p.data(), 1, m);
            float* out = out_R1C.data() + (r * Hq + h) * K;
            for (std::size_t j = 0; j < m; ++j)
                for (std::size_t i = 0; i < K; ++i) out[i] += p[j] * values[j * K + i];
        }
    }
    return out_R1C;
}
//! [attend one]

Tensor<4> gather_rows(const Tensor<4>& x_RHMK, const std::vector<std::size_t>& keep,
                      std::size_t used) {
    const std::size_t H = x_RHMK.shape()[1], M = x_RHMK.shape()[2], K = x_RHMK.shape()[3];
    Tensor<4> out = Tensor<4>::from_shape({keep.size(), H, M, K});
    for (std::size_t i = 0; i < keep.size(); ++i)
        for (std::size_t h = 0; h < H; ++h) {
            const float* from = &x_RHMK(keep[i], h, 0, 0);
            std::copy(from, from + used * K, &out(i, h, 0, 0));
        }
    return out;
}

}  // namespace tfm
