// exercises.hpp — chapter 00's exercises: what each function must do.
//
// Your files are ex_0_1_softmax_row.cpp and ex_0_2_batched_matmul.cpp beside this one;
// each starts as a stub that throws "not implemented". Run `scripts/exercises` from the
// top of the repository: it builds and tests the exercises in order and tells you which
// file to edit next.
#pragma once

#include <xtensor/xtensor.hpp>

#include "00_tensors/shapes.hpp"

namespace tfm::exercises {

/// Exercise 0.1: the softmax of one row of scores, x_V → y_V, computed so that large
/// scores (1000, say) do not overflow. Throws tfm::ShapeError on an empty row.
Tensor<1> softmax_row(const Tensor<1>& x_V);

/// Exercise 0.2: the batched product c[i] = a[i] · b[i] for every i < B, on BLAS:
/// a_BMK [B, M, K] · b_BKN [B, K, N] → c_BMN [B, M, N], written into the preallocated
/// c_BMN. Throws tfm::ShapeError when the batch sizes, the inner dimensions or the shape
/// of c_BMN do not fit.
void batched_matmul(const Tensor<3>& a_BMK, const Tensor<3>& b_BKN, Tensor<3>& c_BMN);

}  // namespace tfm::exercises
