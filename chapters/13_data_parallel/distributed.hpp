// distributed.hpp — data parallelism with MPI: one model per process, one gradient for all
// (chapter 13).
//
// Data-parallel training runs P copies of the same program (ranks), each with a full copy
// of the model. Every global batch is cut into P shards; each rank runs forward and
// backward on its own shard; then the gradients are summed across ranks (MPI_Allreduce),
// so every rank holds the gradient of the *whole* batch and takes the same optimiser step
// — the replicas never drift apart.
//
// The loss is the mean per target token over the global batch. Ranks hold different
// numbers of tokens (shards of unequal sentences, or none at all), so a rank cannot just
// average its own loss and average the averages: that would weigh a short shard's tokens
// more. Instead the ranks first sum their token counts (one tiny allreduce), each rank
// scales its *summed* loss by 1 / (the global count), and the allreduce of gradients adds
// the pieces: Σ_ranks ∇(loss_r / n_global) = ∇(Σ_ranks loss_r / n_global), exactly the
// gradient one process would compute on the whole batch. An empty shard contributes zero.
//
// Gradients travel in buckets: the parameters are grouped into flat buffers of a few
// megabytes, and each buffer is reduced in one call. One call per tensor would pay MPI's
// fixed cost per message a hundred times a step; one buffer for everything would wait
// for the whole backward pass before sending anything (and a production system overlaps
// sending the last layers' bucket with computing the first layers' gradients).
//
// A rank that fails — bad data on its disk, a bad flag — must not leave the others
// waiting forever in an allreduce: it prints its error and calls MPI_Abort, which ends
// every rank of the job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "00_tensors/parameter.hpp"

namespace tfm {

/// MPI's world communicator: initialised by the constructor, finalised by the destructor.
class Communicator {
public:
    Communicator(int& argc, char**& argv);
    ~Communicator();
    Communicator(const Communicator&) = delete;
    Communicator& operator=(const Communicator&) = delete;

    int rank() const { return rank_; }
    int size() const { return size_; }

    /// Every rank receives rank `root`'s values of the parameters.
    void broadcast(const ParameterList& params, int root = 0) const;
    /// The sum over ranks.
    double sum(double x) const;
    std::uint64_t sum(std::uint64_t x) const;
    /// The smallest value over ranks.
    int min(int x) const;
    /// Every rank receives rank `root`'s text.
    std::string broadcast(const std::string& text, int root = 0) const;
    /// In-place sum of n floats over ranks; the time it takes is added to allreduce_seconds().
    void sum_in_place(float* data, std::size_t n) const;
    void barrier() const;

    /// Prints "rank R: error: message" and ends every rank of the job (MPI_Abort).
    [[noreturn]] void abort(const std::string& message) const;

    double allreduce_seconds() const { return allreduce_seconds_; }
    std::uint64_t allreduce_bytes() const { return allreduce_bytes_; }

private:
    int rank_ = 0, size_ = 1;
    mutable double allreduce_seconds_ = 0.0;
    mutable std::uint64_t allreduce_bytes_ = 0;
};

/// The parameters' gradients grouped into flat buckets of at most `bucket_floats` floats
/// (a tensor larger than that is a bucket of its own).
class GradientBuckets {
public:
    GradientBuckets(ParameterList params, std::size_t bucket_floats = std::size_t(1) << 20);
    /// Sums every gradient over the ranks: copy into each bucket, one allreduce, copy back.
    void allreduce(const Communicator& comm);
    std::size_t buckets() const { return groups_.size(); }

private:
    ParameterList params_;
    std::vector<std::vector<std::size_t>> groups_;  ///< parameter indices per bucket
    std::vector<float> buffer_;
};

}  // namespace tfm
