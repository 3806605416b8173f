// Solution to exercise 9.1 — the greedy choice of the next token.
#include "09_copy_task/exercises/exercises.hpp"

namespace tfm::exercises {

xt::xtensor<std::int64_t, 1> greedy_next_tokens(const xt::xtensor<float, 2>& logp_BV) {
    const std::size_t B = logp_BV.shape()[0], V = logp_BV.shape()[1];
    xt::xtensor<std::int64_t, 1> next = xt::zeros<std::int64_t>({B});
    for (std::size_t b = 0; b < B; ++b) {
        std::size_t best = 0;
        for (std::size_t v = 1; v < V; ++v) {
            if (logp_BV(b, v) > logp_BV(b, best)) best = v;  // strict: the first maximum wins
        }
        next(b) = std::int64_t(best);
    }
    return next;
}

}  // namespace tfm::exercises
