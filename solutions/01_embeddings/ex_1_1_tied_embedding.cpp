// Solution to exercise 1.1 — the gradient of an embedding table used twice.
//
// logits[l, v] = √C · Σ_c E[id_l, c] · E[v, c]: E enters every logit twice, as the
// looked-up row id_l and as the scored row v, and the chain rule adds the two paths.
//   - As the scored rows (the output projection): ∂L/∂E[v, :] += Σ_l dlogits[l, v] · x[l, :],
//     that is dlogitsᵀ · x, a product like Linear's dW.
//   - As the looked-up rows: the gradient reaching x is dx = dlogits · E, and the
//     embedding's backward scatter-adds √C · dx[l, :] into row id_l.
// Where v = id_l both paths run through the same entry; adding them is the product rule.
#include "01_embeddings/exercises/exercises.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "00_tensors/matmul.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

Tensor<2> tied_embedding_gradient(const xt::xtensor<std::int64_t, 1>& ids_L, const Tensor<2>& E_VC,
                                  const Tensor<2>& dlogits_LV) {
    const std::size_t L = ids_L.size(), V = E_VC.shape()[0], C = E_VC.shape()[1];
    check_shape("dlogits_LV", dlogits_LV, {std::ptrdiff_t(L), std::ptrdiff_t(V)});
    for (std::size_t l = 0; l < L; ++l) {
        if (ids_L(l) < 0 || std::size_t(ids_L(l)) >= V) {
            throw std::out_of_range("tied_embedding_gradient: token id " +
                                    std::to_string(ids_L(l)) + " at position " + std::to_string(l) +
                                    " is outside the vocabulary [0, " + std::to_string(V) + ")");
        }
    }
    const float scale = std::sqrt(float(C));
    Tensor<2> x_LC = Tensor<2>::from_shape({L, C});
    for (std::size_t l = 0; l < L; ++l)
        for (std::size_t c = 0; c < C; ++c) x_LC(l, c) = scale * E_VC(ids_L(l), c);

    // The output path: dE = dlogitsᵀ · x.
    Tensor<2> dE_VC = xt::zeros<float>({V, C});
    matmul_into(dlogits_LV, x_LC, dE_VC, Transpose::Yes, Transpose::No);
    // The input path: dx = dlogits · E, scatter-added (times √C) into the rows read.
    Tensor<2> dx_LC = xt::zeros<float>({L, C});
    matmul_into(dlogits_LV, E_VC, dx_LC);
    for (std::size_t l = 0; l < L; ++l)
        for (std::size_t c = 0; c < C; ++c) dE_VC(ids_L(l), c) += scale * dx_LC(l, c);
    return dE_VC;
}

}  // namespace tfm::exercises
