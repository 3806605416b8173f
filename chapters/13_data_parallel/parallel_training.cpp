// parallel_training.cpp — sharding, the data-parallel step, and the training run.
#include "parallel_training.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

#include "07_encoder_decoder/config_fields.hpp"
#include "08_training/train.hpp"
#include "08_training/training_run.hpp"

namespace tfm {

std::vector<std::size_t> shard_of(const std::vector<std::size_t>& batch, int rank, int ranks) {
    const std::size_t n = batch.size(), r = std::size_t(rank), p = std::size_t(ranks);
    const std::size_t begin = n * r / p, end = n * (r + 1) / p;
    return {batch.begin() + std::ptrdiff_t(begin), batch.begin() + std::ptrdiff_t(end)};
}

//! [data parallel step]
double data_parallel_gradients(const Batch* shard, const BatchLoss& loss, GradientBuckets& buckets,
                               const Communicator& comm) {
    // 1. How many label tokens the whole global batch holds.
    const std::uint64_t local_tokens = shard ? shard->ntokens : 0;
    const std::uint64_t global_tokens = comm.sum(local_tokens);
    if (global_tokens == 0)
        throw std::invalid_argument("data_parallel_step: the global batch has no tokens");
    // 2. This rank's summed loss, scaled by the *global* count; its gradient accumulates.
    const double local_loss = shard ? loss(*shard, float(1.0 / double(global_tokens))) : 0.0;
    // 3. Summing the gradients gives every rank the gradient of the global mean loss.
    buckets.allreduce(comm);
    return comm.sum(local_loss) / double(global_tokens);
}

double data_parallel_step(const Batch* shard, const BatchLoss& loss, Adam& optimizer, double lr,
                          double clip_norm, GradientBuckets& buckets, const Communicator& comm) {
    const double mean_loss = data_parallel_gradients(shard, loss, buckets, comm);
    if (!std::isfinite(mean_loss)) {
        throw TrainingDiverged("training diverged: the loss is " + std::to_string(mean_loss) +
                               " at step " + std::to_string(optimizer.steps() + 1));
    }
    // 4. The same gradient everywhere, so the same clipping and the same step.
    if (clip_norm > 0.0) clip_grad_norm(optimizer.parameters(), clip_norm);
    optimizer.step(lr);
    optimizer.zero_grad();
    return mean_loss;
}
//! [data parallel step]

//! [shard step]
double data_parallel_batch_step(TranslationRun& run, const std::vector<std::size_t>& batch,
                                double lr, GradientBuckets& buckets, const Communicator& comm) {
    const BatchLoss loss = [&run](const Batch& b, float scale) {
        return run.trainer->batch_loss(b, scale);
    };
    const std::vector<std::size_t> mine = shard_of(batch, comm.rank(), comm.size());
    const double clip_norm = run.options.clip_norm;
    if (mine.empty())  // fewer sentences than ranks: this one still takes part in the sums
        return data_parallel_step(nullptr, loss, *run.adam, lr, clip_norm, buckets, comm);
    const Batch shard = make_padded_batch(run.train_examples, mine);
    return data_parallel_step(&shard, loss, *run.adam, lr, clip_norm, buckets, comm);
}
//! [shard step]

std::size_t predicted_tokens(const TranslationRun& run, const std::vector<std::size_t>& batch) {
    std::size_t tokens = 0;
    for (std::size_t i : batch) tokens += run.train_examples[i].tgt.size() - 1;
    return tokens;
}

//! [ranks agree]
nlohmann::ordered_json agreement(const TranslationRun& run) {
    // The most telling fields first: the first difference is the one reported.
    nlohmann::ordered_json j;
    j["settings"] = run.settings;
    j["vocabularies"] = codecs_fingerprint(run.codecs);
    j["epochs"] = run.options.epochs;
    j["batches_per_epoch"] = epoch_plan(run, run.files.epochs_completed() + 1).size();
    j["epochs_completed"] = run.files.epochs_completed();
    return j;
}

void check_ranks_agree(const nlohmann::ordered_json& mine, const Communicator& comm) {
    const auto root = nlohmann::ordered_json::parse(comm.broadcast(mine.dump(), 0));
    const std::string difference = json_difference(root, mine);
    // The first rank that disagrees tells every rank what it found.
    const int first = comm.min(difference.empty() ? comm.size() : comm.rank());
    if (first == comm.size()) return;
    const std::string what = comm.broadcast(difference, first);
    throw std::runtime_error("the ranks disagree before training: " + what +
                             " (rank 0 against rank " + std::to_string(first) + ")");
}
//! [ranks agree]

//! [parallel run]
std::vector<Evaluation> train_translation_data_parallel(const TranslationOptions& options,
                                                        const Communicator& comm) {
    const bool lead = comm.rank() == 0;
    // Rank 0 alone repairs what an interrupted save left, and the others wait: ranks
    // repairing at once would each find the other's renames half done. Every rank then
    // opens the run, with nothing left to repair (Repair::Done).
    if (lead) TrainingRun::repair(options.out_dir, "--out");
    comm.barrier();
    const std::unique_ptr<TranslationRun> opened =
        open_translation_run(options, lead, Repair::Done);
    TranslationRun& run = *opened;
    const TranslationOptions& o = run.options;
    // A finished run stops every rank, or none: ranks that disagree (other --epochs on an
    // MPMD command line) stop together rather than leave the others waiting.
    const std::uint64_t finished = comm.sum(std::uint64_t(run.finished() ? 1 : 0));
    if (finished != 0 && finished != std::uint64_t(comm.size())) {
        throw std::runtime_error("the ranks disagree before training: " + std::to_string(finished) +
                                 " of " + std::to_string(comm.size()) +
                                 " find the run finished (--epochs " + std::to_string(o.epochs) +
                                 " on rank " + std::to_string(comm.rank()) + ")");
    }
    if (finished != 0) {
        if (lead) report_finished(run);
        return run.files.evaluations();
    }
    if (o.accumulate != 1) {  // a run chapter 10 started with --accumulate, resumed here
        throw CheckpointError(run.files.layout().settings() + ": accumulate " +
                              std::to_string(o.accumulate) + "; " + kOneStepPerBatch);
    }
    EncoderDecoder& model = *run.model;
    check_ranks_agree(agreement(run), comm);  // before any buffer is exchanged
    comm.broadcast(model.parameters());       // identical replicas, whatever each rank built
    GradientBuckets buckets(model.parameters());
    const auto schedule = learning_rate_schedule(run);
    if (lead) {
        std::fprintf(stderr, "data-parallel on %d ranks, gradients in %zu buckets\n", comm.size(),
                     buckets.buckets());
    }
    try {
        for (std::size_t epoch = run.files.epochs_completed() + 1; epoch <= o.epochs; ++epoch) {
            const auto start = std::chrono::steady_clock::now();
            // Each rank draws its own dropout masks, from the run's seed, the epoch and the rank.
            model.rng().set_state(
                Rng(o.seed * 1000003 + epoch * 1009 + std::uint64_t(comm.rank())).state());
            model.train(true);
            double loss_sum = 0.0;
            std::size_t tokens = 0, steps = 0;
            for (const auto& batch : epoch_plan(run, epoch)) {
                const std::size_t global = predicted_tokens(run, batch);
                const double lr = schedule(run.adam->steps() + 1);
                const double step_loss = data_parallel_batch_step(run, batch, lr, buckets, comm);
                loss_sum += step_loss * double(global);
                tokens += global;
                ++steps;
                if (lead) {
                    run.files.log_step({epoch, run.adam->steps(), step_loss, lr, global});
                    if (o.log_every && steps % o.log_every == 0) {
                        std::fprintf(stderr, "epoch %zu step %zu | loss %.4f | lr %.2e\n", epoch,
                                     run.adam->steps(), step_loss, lr);
                    }
                }
            }
            const double train_seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            // Rank 0 validates and saves; the others wait for it at the barrier.
            if (lead) {
                finish_epoch(run, epoch,
                             EpochResult{loss_sum / double(tokens), tokens, steps, train_seconds},
                             start);
                std::fprintf(stderr, "  allreduce so far: %.1f s, %.0f MB per rank\n",
                             comm.allreduce_seconds(), double(comm.allreduce_bytes()) / 1e6);
            }
            comm.barrier();
            if (!lead) run.files.mark_saved_elsewhere();  // rank 0 has saved this epoch
        }
    } catch (const TrainingDiverged& e) {
        // A loss that is not a number (summed, so every rank sees it) stops the run before
        // this epoch is saved, as in chapter 10; every rank says what the directory holds
        // (the first to stop ends the others).
        throw TrainingDiverged(std::string(e.what()) + "; " + run.files.what_is_saved());
    }
    model.train(false);
    return run.files.evaluations();
}
//! [parallel run]

}  // namespace tfm
