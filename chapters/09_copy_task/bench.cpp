// bench.cpp — times training steps, for the side-by-side comparison with PyTorch.
//
//   bench_training --config copy|base [--steps N] [--warmup K]
//
// copy: make_model(11, 11, 2) on batches of 80 copy-task sequences of length 10;
// base: N = 6, C = 512, F = 2048, h = 8, V = 8000 on batches of 32 sentence pairs of 32
// tokens. A step is forward, loss, backward and an Adam update, in training mode (dropout
// 0.1). Prints one line: "<config> cpp <tokens/s>", tokens being non-pad label tokens.
// scripts/benchmark.sh runs this and scripts/bench_torch.py side by side.
#include <chrono>
#include <cstdio>
#include <string>

#include "00_tensors/program.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "copy_task.hpp"

using namespace tfm;

int main(int argc, char** argv) {
    std::string config_name = "copy";
    std::size_t steps = 10, warmup = 2, F = 1024, batch = 128, len = 20;
    return run_program(
        argc, argv, "bench_training", "Training-step benchmark",
        [&](const ProgramOptions& options) {
            ModelConfig config;
            std::vector<Batch> batches;
            Rng data(options.seed + 1);
            if (config_name == "copy") {
                config.src_vocab = config.tgt_vocab = 11;
                config.N = 2;
                batches = copy_task_batches(data, 11, 80, steps + warmup);
            } else {
                const bool mt = config_name == "mt";
                std::size_t B = 32, M = 32, L = 32;
                config.src_vocab = config.tgt_vocab = 8000;
                if (mt) {
                    config.N = 3;
                    config.d_model = 256;
                    config.d_ff = F;
                    config.src_vocab = 8050;
                    config.tgt_vocab = 6200;
                    B = batch;
                    M = L = len;
                }
                for (std::size_t i = 0; i < steps + warmup; ++i) {
                    xt::xtensor<std::int64_t, 2> src = xt::zeros<std::int64_t>({B, M});
                    xt::xtensor<std::int64_t, 2> tgt = xt::zeros<std::int64_t>({B, L + 1});
                    for (auto& t : src) t = 1 + std::int64_t(data.below(std::uint32_t(config.src_vocab - 1)));
                    for (auto& t : tgt) t = 1 + std::int64_t(data.below(std::uint32_t(config.tgt_vocab - 1)));
                    batches.push_back(make_batch(src, tgt, 0));
                }
            }
            EncoderDecoder model(config, options.seed);
            LabelSmoothing criterion(config.tgt_vocab, 0, 0.1f);
            Adam adam(model.parameters());
            Trainer trainer(model, criterion, adam, [](std::size_t s) { return noam_rate(s, 512, 1.0, 400); });
            model.train(true);
            const std::vector<Batch> warm(batches.begin(), batches.begin() + long(warmup));
            const std::vector<Batch> timed(batches.begin() + long(warmup), batches.end());
            trainer.run_epoch(warm, true);
            const EpochResult r = trainer.run_epoch(timed, true);
            std::printf("%s cpp %.1f tokens/s (%zu steps, %.2f s/step)\n", config_name.c_str(),
                        double(r.tokens) / r.seconds, r.steps, r.seconds / double(r.steps));
        },
        [&](CLI::App& app) {
            app.add_option("--config", config_name, "copy, base or mt")->check(CLI::IsMember({"copy", "base", "mt"}));
            app.add_option("--ff", F, "mt: d_ff");
            app.add_option("--batch", batch, "mt: sentences per batch");
            app.add_option("--len", len, "mt: tokens per sentence");
            app.add_option("--steps", steps, "timed steps")->check(CLI::Range(1, 10000));
            app.add_option("--warmup", warmup, "untimed steps first")->check(CLI::Range(0, 1000));
        });
}
