// Solution to exercise 13.3 — how wrong is averaging the ranks' mean losses? Measure it.
#include "13_data_parallel/exercises/exercises.hpp"

#include <cmath>
#include <vector>

#include "13_data_parallel/parallel_training.hpp"

namespace tfm::exercises {

double mean_of_means_error(const Batch& shard, const BatchLoss& loss, const ParameterList& params,
                           const Communicator& comm) {
    GradientBuckets buckets(params);
    zero_grads(params);
    // 1. Chapter 13's gradient: the global mean's. Kept aside.
    data_parallel_gradients(&shard, loss, buckets, comm);
    std::vector<xt::xarray<float>> right;
    for (const Parameter* p : params) right.push_back(p->grad);
    zero_grads(params);
    // 2. The tempting one: each rank's own mean, the gradients averaged over the ranks.
    loss(shard, float(1.0 / double(shard.ntokens)));
    buckets.allreduce(comm);
    double diff = 0.0, norm = 0.0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const xt::xarray<float>& g = params[i]->grad;
        for (std::size_t j = 0; j < g.size(); ++j) {
            const double means = double(g.data()[j]) / double(comm.size());
            const double want = right[i].data()[j];
            diff += (means - want) * (means - want);
            norm += want * want;
        }
    }
    zero_grads(params);
    return std::sqrt(diff / norm);
}

}  // namespace tfm::exercises
