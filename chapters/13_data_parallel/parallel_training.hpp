// parallel_training.hpp — chapter 10's translation training, data-parallel (chapter 13).
//
// Every rank sets up the same run (chapter 10's TranslationRun: the same data, the same
// codecs, the same seeded model). Before anything is exchanged, the ranks check that they
// agree — options, vocabularies, the data's fingerprint, model shapes, batches per epoch —
// and on any difference every rank stops with the field and both values: ranks that
// disagree would otherwise sum gradients of different words, deadlock waiting for a
// batch another rank does not have, or overrun a buffer of another size. Then rank 0's
// weights are broadcast so the replicas start identical whatever happened before. Each
// epoch, every rank plans the same global batches (seed and epoch), takes its shard of
// each — a contiguous share of the batch's sentences — and steps on it
// (data_parallel_batch_step). Only rank 0 validates, saves the run and prints; a run
// saved by P ranks resumes with any number of ranks, because nothing in it depends on P.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "10_translation/translation_run.hpp"
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

/// One step of a training run on P ranks: this rank's shard of the global batch `batch`
/// (indices into run.train_examples; shard_of), padded (chapter 10's make_padded_batch)
/// and stepped with data_parallel_step: the run's Trainer computes the loss, its
/// optimiser steps, with its clipping. Returns the global batch's mean loss per token.
/// The training run and the benchmark both step so.
double data_parallel_batch_step(TranslationRun& run, const std::vector<std::size_t>& batch,
                                double lr, GradientBuckets& buckets, const Communicator& comm);

/// The tokens the model predicts in `batch` (every target token but the start token): the
/// weight of its mean loss in an epoch's.
std::size_t predicted_tokens(const TranslationRun& run, const std::vector<std::size_t>& batch);

/// What the ranks must agree on before they train: the run's settings (model, training
/// settings, the data's fingerprint), the vocabularies' fingerprint, the epochs, the
/// batches per epoch and where a resumed run stands.
nlohmann::ordered_json agreement(const TranslationRun& run);

/// Compares every rank's `mine` with rank 0's. If any rank differs, every rank throws
/// the same std::runtime_error naming the first field that differs and both values
/// (rank 0's against the first disagreeing rank's). Collective: every rank must call it.
void check_ranks_agree(const nlohmann::ordered_json& mine, const Communicator& comm);

/// Why the data-parallel run refuses gradient accumulation: each global batch is already
/// split across the ranks, and each takes one optimiser step.
inline constexpr const char* kOneStepPerBatch =
    "the data-parallel run takes one optimiser step per batch (its ranks share each batch; "
    "for larger batches raise --budget)";

/// Trains (or resumes) chapter 10's translator on comm.size() ranks; returns every
/// evaluation (rank 0's; the others return theirs without validation). Refuses a run
/// whose settings accumulate gradients (kOneStepPerBatch).
std::vector<Evaluation> train_translation_data_parallel(const TranslationOptions& options,
                                                        const Communicator& comm);

}  // namespace tfm
