// Solution to exercise 1.3 — how much of the table does one batch train?
#include "01_embeddings/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "01_embeddings/embeddings.hpp"

namespace tfm::exercises {

double fraction_of_rows_updated(std::size_t V, std::size_t C, std::size_t n_tokens, double s,
                                Rng& rng) {
    if (V == 0) throw std::invalid_argument("fraction_of_rows_updated: V must be positive");
    if (!(s >= 0.0)) throw std::invalid_argument("fraction_of_rows_updated: s must be ≥ 0");
    // Inverse-CDF sampling: the cumulative weights, then a binary search per draw.
    std::vector<double> cumulative(V);
    double total = 0.0;
    for (std::size_t v = 0; v < V; ++v) {
        total += std::pow(double(v + 1), -s);
        cumulative[v] = total;
    }
    xt::xtensor<std::int64_t, 2> ids_BL = xt::xtensor<std::int64_t, 2>::from_shape({1, n_tokens});
    for (std::size_t t = 0; t < n_tokens; ++t) {
        const double u = rng.uniform() * total;
        const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), u);
        ids_BL(0, t) = std::int64_t(std::min<std::size_t>(it - cumulative.begin(), V - 1));
    }
    Embeddings embeddings(V, C, rng);
    const Tensor<3> x_BLC = embeddings.forward(ids_BL);
    embeddings.backward(xt::ones<float>(x_BLC.shape()));
    const auto& grad = embeddings.lut.grad;
    std::size_t updated = 0;
    for (std::size_t v = 0; v < V; ++v) {
        bool any = false;
        for (std::size_t c = 0; c < C && !any; ++c) any = grad(v, c) != 0.0f;
        updated += any;
    }
    return double(updated) / double(V);
}

}  // namespace tfm::exercises
