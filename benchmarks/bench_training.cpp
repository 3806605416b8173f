// bench_training.cpp — training steps per second, for the side-by-side comparison with
// PyTorch and the appendix on where the time goes.
//
//   bench_training --config copy|base|translation [--data DIR] [--steps N] [--warmup K]
//                  [--write-batches DIR] [--sweep batch|length --out FILE]
//
// copy: make_model(11, 11, 2) on batches of 80 copy-task sequences of length 10;
// base: N = 6, C = 512, F = 2048, h = 8, V = 8000 on batches of 32 pairs of 32 tokens;
// translation: chapter 10's default model (N = 3, C = 256, F = 512, h = 8) on the first
// batches of its first epoch on Multi30k (needs --data; token budget 3,000).
// A step is forward, loss (label smoothing 0.1), backward and an Adam update, in training
// mode (dropout 0.1 everywhere the Annotated Transformer has it). Prints one line:
//   "<config> cpp <tokens/s> tokens/s <GFLOP/s> GFLOP/s maxrss <MB> MB"
// tokens being non-pad label tokens; the FLOPs are those of every matrix product, counted
// as they run. --write-batches saves the timed batches as .npy files, so that
// scripts/bench_torch.py times PyTorch on exactly the same batches.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "00_tensors/matmul.hpp"
#include "00_tensors/npy.hpp"
#include "00_tensors/program.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "09_copy_task/copy_task.hpp"
#include "10_translation/codecs.hpp"

using namespace tfm;

namespace {

double max_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

struct Measurement {
    double tokens_per_second, gflops, seconds_per_step, gflop_per_step;
};

// One training step's floating-point operations from the shapes alone (the appendix
// derives it). Forward multiply-adds per source token and encoder layer: 4C² for the
// projections, 2CF for the feed-forward network, 2MC for the scores and the weighted
// values over M keys; per target token and decoder layer: 6C² (cross-attention's query and
// output projections too), 2CF, 2LC and 2MC; cross-attention's keys and values, 2C² per
// source token and decoder layer; and the generator's CV per target token. A multiply-add
// is 2 FLOPs, and backward costs twice forward: two products for each of forward's.
double formula_gflop(const ModelConfig& c, const Batch& b) {
    const double B = double(b.src_BM.shape()[0]), M = double(b.src_BM.shape()[1]),
                 L = double(b.tgt_in_BL.shape()[1]);
    const double C = double(c.d_model), F = double(c.d_ff), V = double(c.tgt_vocab),
                 N = double(c.N);
    const double src = B * M, tgt = B * L;
    const double macs =
        N * (src * (4 * C * C + 2 * C * F + 2 * M * C) +
             tgt * (6 * C * C + 2 * C * F + 2 * L * C + 2 * M * C) + src * 2 * C * C) +
        tgt * C * V;
    return 6 * macs / 1e9;
}

Measurement time_steps(EncoderDecoder& model, std::int64_t pad, const std::vector<Batch>& warm,
                       const std::vector<Batch>& timed) {
    LabelSmoothing criterion(model.config().tgt_vocab, pad, 0.1f);
    Adam adam(model.parameters());
    Trainer trainer(model, criterion, adam,
                    [](std::size_t s) { return noam_rate(s, 512, 1.0, 400); });
    trainer.run_epoch(warm, true);
    const std::uint64_t flops_before = sgemm_flops();
    const EpochResult r = trainer.run_epoch(timed, true);
    const double flops = double(sgemm_flops() - flops_before);
    return {double(r.tokens) / r.seconds, flops / r.seconds / 1e9, r.seconds / double(r.steps),
            flops / double(r.steps) / 1e9};
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_name = "copy", data, write_batches, sweep, out;
    std::size_t steps = 10, warmup = 2;
    return run_program(
        argc, argv, "bench_training", "Training-step benchmark",
        [&](const ProgramOptions& options) {
            ModelConfig config;
            std::vector<Batch> batches;
            std::int64_t pad = 0;
            Rng rng(options.seed + 1);
            if (config_name == "copy") {
                config.src_vocab = config.tgt_vocab = 11;
                config.N = 2;
                batches = copy_task_batches(rng, 11, 80, steps + warmup);
            } else if (config_name == "base") {
                config.src_vocab = config.tgt_vocab = 8000;
                batches = random_batches(rng, steps + warmup, 32, 32, 33, 8000);
            } else {
                if (data.empty())
                    throw std::invalid_argument("--config translation needs --data DIR (Multi30k)");
                // Chapter 10's data pipeline: the first batches of epoch 1, as a run sees them.
                const ParallelText train = read_parallel(data, "train");
                const Codecs codecs = build_codecs(train, false);
                std::size_t skipped = 0;
                const std::vector<Example> examples = make_examples(train, codecs, 64, skipped);
                Rng order(options.seed * 1000003 + 1);
                const BatchPlan plan = plan_batches(examples, 3000, order);
                for (std::size_t i = 0; i < std::min(plan.size(), steps + warmup); ++i) {
                    batches.push_back(make_padded_batch(examples, plan[i]));
                }
                config.src_vocab = codecs.src->vocab_size();
                config.tgt_vocab = codecs.tgt->vocab_size();
                config.N = 3;
                config.d_model = 256;
                config.d_ff = 512;
                pad = kPad;
            }
            if (!write_batches.empty()) {
                std::filesystem::create_directories(write_batches);
                for (std::size_t i = 0; i < batches.size(); ++i) {
                    const std::string stem = write_batches + "/batch_" + std::to_string(i);
                    save_npy(stem + "_src.npy", batches[i].src_BM);
                    // The whole target [B, L + 1]: the decoder's input plus the last label.
                    const auto& in_BL = batches[i].tgt_in_BL;
                    const std::size_t B = in_BL.shape()[0], L = in_BL.shape()[1];
                    xt::xtensor<std::int64_t, 2> tgt_BT =
                        xt::xtensor<std::int64_t, 2>::from_shape({B, L + 1});
                    for (std::size_t b = 0; b < B; ++b) {
                        for (std::size_t t = 0; t < L; ++t) tgt_BT(b, t) = in_BL(b, t);
                        tgt_BT(b, L) = batches[i].tgt_y_BL(b, L - 1);
                    }
                    save_npy(stem + "_tgt.npy", tgt_BT);
                }
            }
            if (!sweep.empty()) {
                // Tokens/s and memory as the work grows: batches of B sentences of length L.
                std::FILE* f = std::fopen(out.c_str(), "w");
                if (f == nullptr) throw std::runtime_error(out + ": cannot create");
                std::fprintf(f, "# %s tokens/s GFLOP/s maxrss_MB\n", sweep.c_str());
                for (std::size_t x : {4, 8, 16, 32, 64, 128, 256}) {
                    const std::size_t B = sweep == "batch" ? x : 8, L = sweep == "batch" ? 32 : x;
                    EncoderDecoder model(config, options.seed);
                    model.train(true);
                    Rng r(options.seed + x);
                    const auto b = random_batches(r, 3, B, L, L + 1, config.src_vocab);
                    const Measurement m = time_steps(model, 0, {b[0]}, {b[1], b[2]});
                    std::fprintf(f, "%zu %.1f %.1f %.1f\n", x, m.tokens_per_second, m.gflops,
                                 max_rss_mb());
                    std::printf("%s %zu: %.1f tokens/s, %.1f GFLOP/s, max RSS %.0f MB\n",
                                sweep.c_str(), x, m.tokens_per_second, m.gflops, max_rss_mb());
                    std::fflush(stdout);
                }
                std::fclose(f);
                return;
            }
            EncoderDecoder model(config, options.seed);
            model.train(true);
            const std::vector<Batch> warm(batches.begin(),
                                          batches.begin() + long(std::min(warmup, batches.size())));
            const std::vector<Batch> timed(batches.begin() + long(std::min(warmup, batches.size())),
                                           batches.end());
            const Measurement m = time_steps(model, pad, warm, timed);
            double formula = 0.0;
            for (const Batch& b : timed) formula += formula_gflop(config, b) / double(timed.size());
            std::printf(
                "%s cpp %.1f tokens/s %.1f GFLOP/s maxrss %.0f MB (%zu steps, %.3f s/step, "
                "%.2f GFLOP/step counted, %.2f by the formula)\n",
                config_name.c_str(), m.tokens_per_second, m.gflops, max_rss_mb(), timed.size(),
                m.seconds_per_step, m.gflop_per_step, formula);
        },
        [&](CLI::App& app) {
            app.add_option("--config", config_name, "copy, base or translation")
                ->check(CLI::IsMember({"copy", "base", "translation"}));
            app.add_option("--data", data, "the Multi30k directory (translation)");
            app.add_option("--steps", steps, "timed steps")->check(CLI::Range(1, 10000));
            app.add_option("--warmup", warmup, "untimed steps first")->check(CLI::Range(0, 1000));
            app.add_option("--write-batches", write_batches,
                           "save the batches here for the PyTorch side");
            app.add_option("--sweep", sweep,
                           "batch or length: tokens/s as the batch or the length grows")
                ->check(CLI::IsMember({"batch", "length"}));
            app.add_option("--out", out, "the sweep's output file");
        });
}
