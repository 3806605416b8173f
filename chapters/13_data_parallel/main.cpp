// Chapter 13 — data-parallel training with MPI.
//
//   ch13_data_parallel [--figures DIR]
//       the tour: how a batch is sharded, how the gradients are bucketed, and what the
//       cost model projects for 8 and 64 machines
//   mpirun -np P ch13_data_parallel train --data DIR --out RUN [chapter 10's training flags]
//       chapter 10's translation training on P ranks (one OpenBLAS thread each); DIR may
//       contain {rank}, for machines that each hold their own copy of the data. Before
//       training, the ranks check that they agree (settings, data, vocabularies, model).
//   mpirun -np P ch13_data_parallel bench --data DIR [--steps N]
//       the speed of N data-parallel steps of chapter 10's model, and the time in allreduce
//
// (As root, Open MPI wants `mpirun --allow-run-as-root`.)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "00_tensors/figures.hpp"
#include "00_tensors/files.hpp"
#include "00_tensors/parallel.hpp"
#include "00_tensors/program.hpp"
#include "07_encoder_decoder/config_flags.hpp"
#include "10_translation/translation_program.hpp"
#include "parallel_training.hpp"

using namespace tfm;

namespace {

struct CommandLine {
    TrainingCommandLine train;  // chapter 10's training flags, all of them
    std::size_t steps = 40;
    CLI::App* train_cmd = nullptr;
    CLI::App* bench_cmd = nullptr;
};

std::string for_rank(std::string path, int rank) {
    const std::string placeholder = "{rank}";
    for (std::size_t at = path.find(placeholder); at != std::string::npos;
         at = path.find(placeholder)) {
        path.replace(at, placeholder.size(), std::to_string(rank));
    }
    return path;
}

TranslationOptions training_options(const ProgramOptions& options, const CommandLine& cl,
                                    int rank) {
    TranslationOptions o = training_options(cl.train, options);
    o.data_dir = for_rank(o.data_dir, rank);
    if (o.accumulate != 1) {
        throw std::invalid_argument("--accumulate " + std::to_string(o.accumulate) + ": " +
                                    kOneStepPerBatch);
    }
    return o;
}

// ---- the tour: sharding, buckets, and the cost model -----------------------------------------

//! [cost model]
// The time of one optimiser step on P machines, each as fast as this one, for a ring
// allreduce of `bytes` of gradients in `buckets` messages over links of `bandwidth`
// bytes/s with `latency` seconds per message: every rank sends and receives
// 2·(P−1)/P of the bytes, in 2·(P−1) rounds per bucket.
double step_seconds(double compute_seconds, int P, double bytes, int buckets, double bandwidth,
                    double latency) {
    if (P == 1) return compute_seconds;
    const double transfer = 2.0 * double(P - 1) / double(P) * bytes / bandwidth;
    const double rounds = 2.0 * double(P - 1) * double(buckets) * latency;
    return compute_seconds + transfer + rounds;
}
//! [cost model]

void tour(const ProgramOptions& options) {
    std::printf("\nSharding: a global batch of 7 sentences on 3 ranks:\n");
    const std::vector<std::size_t> batch = {10, 11, 12, 13, 14, 15, 16};
    for (int r = 0; r < 3; ++r) {
        std::printf("  rank %d:", r);
        for (std::size_t i : shard_of(batch, r, 3)) std::printf(" %zu", i);
        std::printf("\n");
    }
    // Chapter 10's default model: its parameters, bucketed as the training run does.
    ModelConfig c = default_translation_model();
    c.src_vocab = 8049;  // the word vocabularies of Multi30k's training split
    c.tgt_vocab = 6197;
    EncoderDecoder model(c, options.seed);
    const std::size_t params = count_scalars(model.parameters());
    const double bytes = double(params) * sizeof(float);
    std::size_t buckets = 0, filled = 0;
    for (const Parameter* p : model.parameters()) {
        if (buckets == 0 || filled + p->value.size() > (std::size_t(1) << 20)) {
            ++buckets;
            filled = 0;
        }
        filled += p->value.size();
    }
    std::printf(
        "\nChapter 10's model: %zu parameters, %zu tensors: %.1f MB of gradients in %zu buckets of "
        "up to 4 MB\n",
        params, model.parameters().size(), bytes / 1e6, buckets);
    // The cost model, for a step that takes 0.505 s on one of these machines: the mean of
    // the measured 0.50 and 0.51 s of `bench` on one process with one team of threads
    // (batches of 3,000 padded tokens a side, about 2,200 real target tokens).
    const double compute = 0.505, latency = 50e-6;
    std::printf(
        "\nProjected (a model, not a measurement): speed-up over one machine, global batch "
        "fixed\n");
    std::printf("  machines   10 Gbit/s   100 Gbit/s   per-machine batch fixed (10 Gbit/s)\n");
    Tensor<2> figure = xt::zeros<float>({std::size_t(7), std::size_t(4)});
    std::size_t row = 0;
    for (int P : {1, 2, 4, 8, 16, 32, 64}) {
        const double strong10 =
            compute / step_seconds(compute / P, P, bytes, int(buckets), 1.25e9, latency);
        const double strong100 =
            compute / step_seconds(compute / P, P, bytes, int(buckets), 12.5e9, latency);
        const double weak10 =
            P * compute / step_seconds(compute, P, bytes, int(buckets), 1.25e9, latency);
        std::printf("  %8d   %9.1f   %10.1f   %9.1f\n", P, strong10, strong100, weak10);
        figure(row, 0) = float(P);
        figure(row, 1) = float(strong10);
        figure(row, 2) = float(strong100);
        figure(row, 3) = float(weak10);
        ++row;
    }
    if (!options.figures.empty()) write_matrix_data(options.figures + "/ch13_scaling.dat", figure);
    std::printf(
        "\nRun it: mpirun -np 2 ./build/chapters/13_data_parallel/ch13_data_parallel train --data "
        "data/multi30k "
        "--out runs/de-en-2\n");
}

// ---- subcommands ------------------------------------------------------------------------------

void run_bench(const ProgramOptions& options, const CommandLine& cl, const Communicator& comm) {
    TranslationOptions o = training_options(options, cl, comm.rank());
    const ScratchDirectory scratch(
        "ch13bench");  // the benchmark saves nothing; the run wants a place
    o.out_dir = scratch / "run";
    o.start = RunStart::New;
    const std::unique_ptr<TranslationRun> run = open_translation_run(o, comm.rank() == 0);
    check_ranks_agree(agreement(*run), comm);
    comm.broadcast(run->model->parameters());
    GradientBuckets buckets(run->model->parameters());
    // The steps of a training run, with its learning-rate schedule and its clipping: every
    // training flag bench takes does what it does in train.
    const auto schedule = learning_rate_schedule(*run);
    const auto plan = epoch_plan(*run, 1);
    // One epoch at most: the plan has no more batches than that.
    const std::size_t steps = std::min(cl.steps, plan.size());
    run->model->train(true);
    std::size_t tokens = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t s = 0; s < steps; ++s) {
        tokens += predicted_tokens(*run, plan[s]);
        data_parallel_batch_step(*run, plan[s], schedule(run->adam->steps() + 1), buckets, comm);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (comm.rank() == 0) {
        std::printf(
            "ranks %d | %zu steps%s | %.0f tokens/s | %.2f s per step | allreduce %.2f s "
            "(%.0f%%)\n",
            comm.size(), steps, steps < cl.steps ? " (one epoch)" : "", double(tokens) / seconds,
            seconds / double(steps), comm.allreduce_seconds(),
            100 * comm.allreduce_seconds() / seconds);
    }
}

}  // namespace

int main(int argc, char** argv) {
    Communicator comm(argc, argv);
    // One thread per rank when there are several, for the products and the element-wise
    // loops alike (chapter 00's set_threads): the ranks are the parallelism.
    if (comm.size() > 1) set_threads(1);
    CommandLine cl;
    const int status = run_program(
        argc, argv, "ch13_data_parallel", "Chapter 13 — data-parallel training",
        [&](const ProgramOptions& options) {
            try {
                if (cl.train_cmd->parsed()) {
                    train_translation_data_parallel(training_options(options, cl, comm.rank()),
                                                    comm);
                } else if (cl.bench_cmd->parsed()) {
                    run_bench(options, cl, comm);
                } else if (comm.rank() == 0) {
                    tour(options);
                }
            } catch (const std::bad_alloc&) {
                // Never leave the other ranks waiting in an allreduce: end them all.
                if (comm.size() > 1) comm.abort(kOutOfMemory);
                throw;
            } catch (const std::exception& e) {
                if (comm.size() > 1) comm.abort(e.what());
                throw;
            }
        },
        [&](CLI::App& app) {
            cl.train_cmd = app.add_subcommand("train", "translation training on every rank");
            add_training_flags(*cl.train_cmd, cl.train);
            cl.train_cmd->get_option("--data")->description(
                "the Multi30k directory ({rank} is replaced by the rank)");
            cl.train_cmd->get_option("--out")->description(
                "the run's directory (written by rank 0)");
            cl.bench_cmd = app.add_subcommand("bench", "the speed of data-parallel steps");
            cl.bench_cmd
                ->add_option("--data", cl.train.options.data_dir,
                             "the Multi30k directory ({rank} is replaced by the rank)")
                ->required();
            add_flags(*cl.bench_cmd, ModelConfig::fields(), cl.train.options.model);
            add_flags(*cl.bench_cmd, TranslationOptions::settings_fields(), cl.train.options);
            add_vocabulary_rules(*cl.bench_cmd);
            cl.bench_cmd->add_option("--steps", cl.steps, "steps to time (default 40)")
                ->check(CLI::Range(1, 100000));
            app.require_subcommand(0, 1);
        });
    // A bad flag ends every rank too (each has printed why).
    if (status != 0 && comm.size() > 1) comm.abort("stopping every rank after the error above");
    return status;
}
