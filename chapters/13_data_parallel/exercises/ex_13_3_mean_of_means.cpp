// Exercise 13.3 (experiment) — how wrong is averaging the ranks' mean losses? Measure it.
//
// The chapter shows that averaging each rank's mean loss weighs a short shard's tokens
// more than a long one's, and scales every rank's summed loss by the global token count
// instead. How much does the tempting way change the gradient in practice? Compute both
// on the same shards and measure the distance between them.
//
// Predict first: for shards of equal token counts, for the chapter's shards of a batch of
// similar-length sentences, and for one sentence against five.
//
// Run it with:  scripts/exercises 13.3      (it starts 2 ranks with mpiexec)
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

double mean_of_means_error(const Batch& shard, const BatchLoss& loss, const ParameterList& params,
                           const Communicator& comm) {
    // TODO(ex 13.3): the gradient of the global mean, kept aside; then the mean of the
    // ranks' mean-loss gradients; then the relative distance.
    throw std::logic_error("not implemented: exercise 13.3");
}

}  // namespace tfm::exercises
