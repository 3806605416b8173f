// Solution to exercise 11.2 — what a whole translation costs, with the cache and without.
#include "11_decoding/exercises/exercises.hpp"

namespace tfm::exercises {

DecodingWork greedy_decoding_work(std::size_t N, std::size_t C, std::size_t F, std::size_t V,
                                  std::size_t M, std::size_t L) {
    const double n = double(N), c = double(C), f = double(F), v = double(V), m = double(M),
                 l = double(L);
    const double sum_t = l * (l + 1) / 2;                 // Σ t over t = 1..L
    const double sum_t2 = l * (l + 1) * (2 * l + 1) / 6;  // Σ t²
    // What every position costs in a layer: projections, cross-attention's two, the FFN.
    const double per_position = 6 * c * c + 2 * c * f;
    DecodingWork w;
    // Cached: one position a step, its query against t keys and the M memory keys; the
    // memory projected once.
    w.cached = n * (l * per_position + 2 * c * sum_t + 2 * m * c * l + 2 * m * c * c) + l * c * v;
    // Recomputing: t positions at step t, a t × t and a t × M grid, the memory every step.
    w.recomputing =
        n * (sum_t * per_position + 2 * c * sum_t2 + 2 * m * c * sum_t + 2 * m * c * c * l) +
        l * c * v;
    return w;
}

}  // namespace tfm::exercises
