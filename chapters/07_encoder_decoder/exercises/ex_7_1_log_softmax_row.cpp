// Exercise 7.1 — the generator's log-softmax of one row.
//
// log softmax(z)_v = z_v − log Σ_u exp(z_u). As in chapter 00's softmax, subtract the
// maximum first so no exponent is positive; then the log of the sum is small and safe.
//
// Test it with:  scripts/exercises 7.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

Tensor<1> log_softmax_row(const Tensor<1>& z_V) {
    // TODO(ex 7.1): m = max(z); s = Σ exp(z − m); return z − m − log(s).
    throw std::logic_error("not implemented: exercise 7.1");
}

}  // namespace tfm::exercises
