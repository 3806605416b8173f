// Exercise 11.2 (derivation) — what a whole translation costs, with the cache and without.
//
// The chapter counts the multiply-adds of one decoding step. A translation is L of them,
// and without the cache step t costs more than step t − 1: sum them. Write both totals
// as closed forms in L — which powers of L appear, and which term of a step does each
// come from? Then put in chapter 10's model (N = 3, C = 256, F = 512, V = 6197) and a
// Multi30k sentence (L = M = 13): how many times the cached work is the recomputing
// work, and how does that compare with the 2.2 times (batch 1) and 3.8 times (batch 64)
// that the speed measurements found?
//
// Test it with:  scripts/exercises 11.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

DecodingWork greedy_decoding_work(std::size_t N, std::size_t C, std::size_t F, std::size_t V,
                                  std::size_t M, std::size_t L) {
    // TODO(ex 11.2): the sums of 1, t and t² over t = 1..L, then the two totals.
    throw std::logic_error("not implemented: exercise 11.2");
}

}  // namespace tfm::exercises
