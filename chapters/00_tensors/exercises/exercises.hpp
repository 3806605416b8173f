// exercises.hpp — chapter 00's exercises: what each function must do.
//
// Your files are the ex_0_*.cpp files beside this one; each starts as a stub that throws
// "not implemented". Run `scripts/exercises` from the top of the repository: it builds
// and tests the exercises in order and tells you which file to edit next.
#pragma once

#include <vector>

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 0.1 (derivation): the gradient of a softmax's entropy. With p = softmax(x_V)
/// and H = −Σ_i p_i log p_i (in nats), returns ∂H/∂x [V]. A score of −1e9 (a masked one)
/// has p = 0 and must get a finite gradient. Throws tfm::ShapeError on an empty row.
Tensor<1> softmax_entropy_gradient(const Tensor<1>& x_V);

/// Exercise 0.2 (warm-up): the batched product c[i] = a[i] · b[i] for every i < B, on
/// BLAS: a_BRI [B, R, I] · b_BIO [B, I, O] → c_BRO [B, R, O], written into the
/// preallocated c_BRO. Throws tfm::ShapeError when the batch sizes, the inner dimensions
/// or the shape of c_BRO (its B, R and O alike) do not fit. The exercise is the loop
/// itself: one tfm::sgemm per slice, with the pointers, leading dimensions and offsets
/// worked out by you — not tfm::matmul_into or tfm::sgemm_batched, which already are that
/// loop (the tests cannot tell them apart; the point is to write it once).
void batched_matmul(const Tensor<3>& a_BRI, const Tensor<3>& b_BIO, Tensor<3>& c_BRO);

/// Exercise 0.3 (experiment): how good is a plain central difference in float32? For the
/// loss L(x) = Σ_i g_i · softmax(x)_i, with the softmax computed in float32 by
/// tfm::softmax and the sum taken in double, returns one number per step h of `steps`:
/// the largest error, over the elements i, of the central difference
/// (L(x + h·e_i) − L(x − h·e_i)) / 2h — the perturbed x a float32 tensor, as the
/// modules see it — against the exact ∂L/∂x_i (tfm::softmax_backward), divided by the
/// largest |∂L/∂x_i|. Throws tfm::ShapeError if x_V is empty or g_V has another size.
std::vector<double> central_difference_errors(const Tensor<1>& x_V, const Tensor<1>& g_V,
                                              const std::vector<double>& steps);

}  // namespace tfm::exercises
