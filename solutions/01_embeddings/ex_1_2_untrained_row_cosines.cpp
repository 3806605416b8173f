// Solution to exercise 1.2 — how different are the vectors of an untrained table?
#include "01_embeddings/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "01_embeddings/embeddings.hpp"

namespace tfm::exercises {

RowCosines untrained_row_cosines(std::size_t V, std::size_t C, Rng& rng) {
    if (V < 2) throw std::invalid_argument("untrained_row_cosines: need at least two rows");
    Embeddings embeddings(V, C, rng);
    const auto& E = embeddings.lut.value;  // [V, C]
    // Each row's length once; then every pair's cosine, in double.
    std::vector<double> norm(V, 0.0);
    for (std::size_t v = 0; v < V; ++v) {
        for (std::size_t c = 0; c < C; ++c) norm[v] += double(E(v, c)) * E(v, c);
        norm[v] = std::sqrt(norm[v]);
    }
    RowCosines result;
    double total = 0.0;
    for (std::size_t u = 0; u < V; ++u)
        for (std::size_t v = u + 1; v < V; ++v) {
            double dot = 0.0;
            for (std::size_t c = 0; c < C; ++c) dot += double(E(u, c)) * E(v, c);
            const double cosine = std::abs(dot) / (norm[u] * norm[v]);
            total += cosine;
            result.max_abs = std::max(result.max_abs, cosine);
        }
    result.mean_abs = total / (double(V) * double(V - 1) / 2.0);
    return result;
}

}  // namespace tfm::exercises
