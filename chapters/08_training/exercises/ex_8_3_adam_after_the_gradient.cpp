// Exercise 8.3 (derivation) — Adam after the gradient stops.
//
// Chapter 01 showed that a batch gives most rows of the embedding table no gradient at
// all. Does Adam then leave those rows alone? Work it out for one parameter: its
// gradient is g for k steps, then 0. Write the moment estimates m and v at step t in
// closed form (each is a geometric sum), apply the bias corrections, and give the change
// Adam makes at step t. Then look at two special cases: the very first step, for any g;
// and the steps after the gradient has stopped.
//
// Test it with:  scripts/exercises 8.3
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

double adam_change_at_step(double g, std::size_t k, std::size_t t, double lr, double beta1,
                           double beta2, double eps) {
    // TODO(ex 8.3): m_t and v_t in closed form; their bias corrections; the change.
    throw std::logic_error("not implemented: exercise 8.3");
}

}  // namespace tfm::exercises
