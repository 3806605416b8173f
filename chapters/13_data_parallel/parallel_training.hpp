// parallel_training.hpp — chapter 10's translation training, data-parallel (chapter 13).
//
// Every rank sets up the same run (chapter 10's TranslationRun: the same data, the same
// codecs, the same seeded model), then rank 0's weights are broadcast so the replicas
// start identical whatever happened before. Each epoch, every rank plans the same global
// batches (seed and epoch), takes its shard of each — a contiguous share of the batch's
// sentences — and runs data_parallel_step. Only rank 0 validates, saves the run and
// prints; a run saved by P ranks resumes with any number of ranks, because nothing in it
// depends on P.
#pragma once

#include <cstddef>
#include <vector>

#include "10_translation/translation.hpp"
#include "distributed.hpp"

namespace tfm {

/// The indices of rank `rank`'s share of one global batch: a contiguous part, sizes
/// differing by at most one (empty when the batch has fewer sentences than ranks).
std::vector<std::size_t> shard_of(const std::vector<std::size_t>& batch, int rank, int ranks);

/// The gradient part of a step: sum the token counts, backward with scale 1 / global
/// tokens, allreduce the gradients in buckets. Leaves every rank holding the gradient of
/// the global batch's mean loss (and returns that loss).
double data_parallel_gradients(const Batch* shard, const BatchLoss& loss, GradientBuckets& buckets,
                               const Communicator& comm);

/// One optimiser step on P ranks. `shard` is this rank's part of the global batch (maybe
/// empty); `loss` computes a batch's summed loss and, with scale > 0, its gradient (the
/// Trainer's batch_loss). Steps: sum the token counts; backward with scale 1 / global
/// tokens; allreduce the gradients in buckets; clip (identically everywhere); step;
/// zero the gradients. Returns the global batch's mean loss per token. Throws
/// TrainingDiverged (on every rank alike) if it is not finite.
double data_parallel_step(const Batch* shard, const BatchLoss& loss, Adam& optimizer, double lr,
                          double clip_norm, GradientBuckets& buckets, const Communicator& comm);

/// Trains (or resumes) chapter 10's translator on comm.size() ranks.
TranslationResult train_translation_data_parallel(const TranslationOptions& options,
                                                  const Communicator& comm);

}  // namespace tfm
