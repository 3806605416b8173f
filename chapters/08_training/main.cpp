// Chapter 08 — training: the demo.
//
// Splits a target into decoder input and labels, prints the Noam schedule's key values,
// builds the Annotated Transformer's label-smoothing example, shows the loss as the
// model grows confident, and trains a tiny model for a few epochs to show the loop —
// progress lines, a loss log, training and evaluation losses.
// With --figures DIR it writes the numbers behind the chapter's four figures.
//
//   ch08_training [--seed S] [--figures DIR]
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <xtensor/xio.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/figures.hpp"
#include "00_tensors/program.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "batch.hpp"
#include "loss.hpp"
#include "optimizer.hpp"
#include "train.hpp"

using namespace tfm;

namespace {

// Random sequences that start with token 1 — enough to watch the loop learn to copy.
// (Chapter 09 builds the copy task properly.)
std::vector<Batch> random_copy_batches(Rng& rng, std::size_t vocab, std::size_t batches,
                                       std::size_t B, std::size_t L) {
    std::vector<Batch> out;
    for (std::size_t i = 0; i < batches; ++i) {
        xt::xtensor<std::int64_t, 2> data = random_token_ids(rng, B, L, vocab);
        xt::view(data, xt::all(), 0) = 1;
        out.push_back(make_batch(data, data, 0));
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    return run_program(
        argc, argv, "ch08_training", "Chapter 08 — training", [](const ProgramOptions& options) {
            const std::string& figures = options.figures;
            //! [batch demo]
            const xt::xtensor<std::int64_t, 2> src_BM = {{1, 7, 4, 2, 0}};
            // <s> = 1, then the sentence, </s> = 2, then padding 0
            const xt::xtensor<std::int64_t, 2> tgt_BT = {{1, 5, 9, 3, 2, 0}};
            const Batch batch = make_batch(src_BM, tgt_BT, /*pad=*/0);
            //! [batch demo]
            std::cout << "\ntarget " << tgt_BT << "\ndecoder input " << batch.tgt_in_BL
                      << "\nlabels        " << batch.tgt_y_BL
                      << "\nlabel tokens that count: " << batch.ntokens << "\ntarget mask:\n"
                      << batch.tgt_mask_BLL << "\n";

            std::printf(
                "\nNoam: 0.5 * rate(1, 512, 1, 400) = %.3g; rate(400) = %.3g is the peak "
                "(rate(399) = %.3g, rate(401) = %.3g)\n",
                0.5 * noam_rate(1, 512, 1.0, 400), noam_rate(400, 512, 1.0, 400),
                noam_rate(399, 512, 1.0, 400), noam_rate(401, 512, 1.0, 400));
            if (!figures.empty()) {
                Tensor<2> rates = xt::zeros<float>({std::size_t(200), std::size_t(4)});
                for (std::size_t i = 0; i < 200; ++i) {
                    const std::size_t step = 1 + i * 100;
                    rates(i, 0) = float(step);
                    rates(i, 1) = float(noam_rate(step, 512, 1.0, 4000));
                    rates(i, 2) = float(noam_rate(step, 512, 1.0, 8000));
                    rates(i, 3) = float(noam_rate(step, 256, 1.0, 4000));
                }
                write_matrix_data(figures + "/learning_rates.dat", rates);
            }

            //! [label smoothing demo]
            LabelSmoothing smoothing(/*vocab=*/5, /*padding_idx=*/0, /*smoothing=*/0.4f);
            const xt::xtensor<std::int64_t, 2> labels = {{2, 1, 0, 3, 3}};
            const Tensor<3> q = smoothing.target_distribution(labels);
            //! [label smoothing demo]
            std::cout << "\nlabel smoothing 0.4 over 5 classes, labels 2 1 0 3 3 (0 is padding):\n"
                      << xt::view(q, 0) << "\n";
            if (!figures.empty())
                write_matrix_data(figures + "/label_smoothing.dat", Tensor<2>(xt::view(q, 0)));

            // The loss as the model grows confident in the right answer (label 1, smoothing 0.1).
            LabelSmoothing crit(5, 0, 0.1f);
            const xt::xtensor<std::int64_t, 2> one = {{1}};
            std::vector<std::pair<double, double>> penalty;
            for (int x = 1; x < 100; ++x) {
                const double d = x + 3;
                Tensor<3> logp = {{{-INFINITY, float(std::log(x / d)), float(std::log(1 / d)),
                                    float(std::log(1 / d)), float(std::log(1 / d))}}};
                penalty.push_back({x / d, crit.forward(logp, one)});
            }
            std::printf(
                "\nloss with smoothing 0.1: p(label) = %.2f → %.3f, p = %.2f → %.3f, p = %.2f → "
                "%.3f "
                "(it rises again: certainty is penalised)\n",
                penalty[0].first, penalty[0].second, penalty[20].first, penalty[20].second,
                penalty[98].first, penalty[98].second);
            if (!figures.empty()) {
                Tensor<2> pen = xt::zeros<float>({penalty.size(), std::size_t(2)});
                for (std::size_t i = 0; i < penalty.size(); ++i) {
                    pen(i, 0) = float(penalty[i].first);
                    pen(i, 1) = float(penalty[i].second);
                }
                write_matrix_data(figures + "/smoothing_penalty.dat", pen);
            }

            //! [training demo]
            ModelConfig config;
            config.src_vocab = config.tgt_vocab = 11;
            config.N = 1;
            config.d_model = 32;
            config.d_ff = 64;
            config.h = 4;
            config.dropout = 0.0f;
            EncoderDecoder model(config, options.seed);
            LabelSmoothing criterion(11, 0, 0.0f);
            Adam adam(model.parameters());
            TrainOptions train_options;
            train_options.log_every = 20;
            Trainer trainer(
                model, criterion, adam,
                [](std::size_t step) { return noam_rate(step, 32, 1.0, 40); }, train_options);
            const std::vector<Batch> valid = random_copy_batches(model.rng(), 11, 2, 20, 8);
            //! [training demo]
            std::cout << "\ntraining a tiny model (N=1, C=32) to copy random sequences:\n";
            std::vector<std::array<double, 3>> curves;
            for (std::size_t epoch = 1; epoch <= 8; ++epoch) {
                const EpochResult tr =
                    trainer.run_epoch(random_copy_batches(model.rng(), 11, 20, 20, 8), true, epoch);
                const EpochResult ev = trainer.run_epoch(valid, false, epoch);
                std::printf("epoch %zu: train loss %.3f, validation loss %.3f (%.1f s)\n", epoch,
                            tr.loss, ev.loss, tr.seconds);
                curves.push_back({double(epoch), tr.loss, ev.loss});
            }
            if (!figures.empty()) {
                Tensor<2> c = xt::zeros<float>({curves.size(), std::size_t(3)});
                for (std::size_t i = 0; i < curves.size(); ++i)
                    for (std::size_t j = 0; j < 3; ++j) c(i, j) = float(curves[i][j]);
                write_matrix_data(figures + "/loss_curves.dat", c);
                std::cout << "figure data written to " << figures << "\n";
            }
        });
}
