// Chapter 08: batches and masks, label smoothing and cross-entropy against PyTorch,
// Adam against torch.optim.Adam, the Noam schedule, clipping, gradient accumulation,
// the NaN guard, the step hook, and a short run whose loss falls (the training run:
// test_training_run.cpp).
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xview.hpp>

#include "07_encoder_decoder/encoder_decoder.hpp"
#include "07_encoder_decoder/generator.hpp"
#include "08_training/batch.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "08_training/training_run.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::fixture;
using tfm::testing::load_fixture;

TEST_CASE("a batch splits the target into decoder input and labels, with the standard masks") {
    const xt::xtensor<std::int64_t, 2> src = {{1, 7, 4, 2, 0}, {1, 3, 2, 0, 0}};
    const xt::xtensor<std::int64_t, 2> tgt = {{1, 5, 9, 3, 2}, {1, 8, 2, 0, 0}};
    const Batch b = make_batch(src, tgt, 0);
    const xt::xtensor<std::int64_t, 2> in = {{1, 5, 9, 3}, {1, 8, 2, 0}};
    const xt::xtensor<std::int64_t, 2> y = {{5, 9, 3, 2}, {8, 2, 0, 0}};
    CHECK((b.tgt_in_BL == in));
    CHECK((b.tgt_y_BL == y));
    CHECK(b.ntokens == 6);
    CHECK(b.src_mask_B1M.shape() == std::array<std::size_t, 3>{2, 1, 5});
    CHECK_FALSE(b.src_mask_B1M(1, 0, 3));
    CHECK(b.tgt_mask_BLL.shape() == std::array<std::size_t, 3>{2, 4, 4});
    CHECK(b.tgt_mask_BLL(0, 2, 1));
    CHECK_FALSE(b.tgt_mask_BLL(0, 1, 2));  // causal
    CHECK_FALSE(b.tgt_mask_BLL(1, 3, 3));  // padding
    CHECK_THROWS_AS(make_batch(src, xt::xtensor<std::int64_t, 2>{{1}, {1}}, 0), ShapeError);
    CHECK_THROWS_AS(make_batch(src, xt::xtensor<std::int64_t, 2>{{1, 2}}, 0), ShapeError);
}

TEST_CASE(
    "label smoothing matches the Annotated Transformer's (KLDivLoss, sum) in value and gradient") {
    LabelSmoothing ls(7, 0, 0.1f);
    const auto logp = load_fixture<3>("ch08", "ls_logp");
    const auto y = load_npy<std::int64_t, 2>(fixture("ch08", "ls_labels"));
    CHECK_CLOSE(ls.target_distribution(y), load_fixture<3>("ch08", "ls_true_dist"), 1e-7, 1e-6);
    const double loss = ls.forward(logp, y);
    CHECK(loss == Approx(load_npy_array<float>(fixture("ch08", "ls_loss"))()).epsilon(1e-5));
    CHECK_CLOSE(ls.backward(1.0f), load_fixture<3>("ch08", "ls_dlogp"), 1e-7, 1e-6);
    // KL = cross-entropy against q − the entropy of q.
    double cross = 0;
    const auto q = ls.target_distribution(y);
    for (std::size_t i = 0; i < q.size(); ++i) cross -= double(q.data()[i]) * logp.data()[i];
    CHECK(loss == Approx(cross - ls.target_entropy()).epsilon(1e-6));
}

TEST_CASE(
    "the smoothed distribution: confidence on the label, the rest over V-2, zeros for padding") {
    LabelSmoothing ls(5, 0, 0.4f);
    const auto q = ls.target_distribution(xt::xtensor<std::int64_t, 2>{{2, 0}});
    CHECK(q(0, 0, 2) == Approx(0.6f));
    CHECK(q(0, 0, 1) == Approx(0.4f / 3));
    CHECK(q(0, 0, 0) == 0.0f);                                      // the padding column
    for (std::size_t v = 0; v < 5; ++v) CHECK(q(0, 1, v) == 0.0f);  // a padding label's row
    // A −inf log-probability where q = 0 does not make the loss NaN.
    Tensor<3> logp = {{{-INFINITY, -1.0f, -1.0f, -1.0f, -1.0f}, {-1, -1, -1, -1, -1}}};
    CHECK(std::isfinite(ls.forward(logp, xt::xtensor<std::int64_t, 2>{{2, 0}})));
    CHECK_THROWS_AS(LabelSmoothing(5, 0, 1.0f), std::invalid_argument);
    CHECK_THROWS_AS(ls.forward(logp, xt::xtensor<std::int64_t, 2>{{7, 0}}), std::out_of_range);
}

TEST_CASE(
    "the fused loss from logits equals log-softmax then label smoothing then both backwards") {
    // Large logits too: the fused form must be as stable as log_softmax.
    for (float smoothing : {0.1f, 0.0f}) {
        for (float spread_of_logits : {1.0f, 40.0f}) {
            Rng rng(5);
            Tensor<3> z = xt::zeros<float>({3, 4, 11});
            fill_uniform(z, -spread_of_logits, spread_of_logits, rng);
            const xt::xtensor<std::int64_t, 2> y = {
                {1, 2, 0, 0}, {10, 3, 3, 0}, {4, 5, 6, 7}};  // 0 is padding
            LabelSmoothing plain(11, 0, smoothing), fused(11, 0, smoothing);
            const Tensor<3> logp = log_softmax(z);
            const double loss = plain.forward(logp, y);
            const Tensor<3> dz = log_softmax_backward(logp, plain.backward(0.25f));
            Tensor<3> z2 = z;
            const double loss2 = fused.forward_backward_logits(z2, y, 0.25f);
            INFO("smoothing " << smoothing << ", logits in ±" << spread_of_logits);
            CHECK(loss2 == Approx(loss).epsilon(1e-5));
            CHECK_CLOSE(z2, dz, 1e-6, 1e-4);
            // Without a backward (scale 0), the same loss.
            Tensor<3> z3 = z;
            CHECK(fused.forward_backward_logits(z3, y, 0.0f) == Approx(loss).epsilon(1e-5));
        }
    }
}

TEST_CASE("cross-entropy matches PyTorch's nll_loss with ignore_index") {
    const auto logp = load_fixture<3>("ch08", "ls_logp");
    const auto y = load_npy<std::int64_t, 2>(fixture("ch08", "ls_labels"));
    CHECK(cross_entropy(logp, y, 0) ==
          Approx(load_npy_array<float>(fixture("ch08", "ce_loss"))()).epsilon(1e-5));
    CHECK_CLOSE(cross_entropy_backward(logp, y, 0, 1.0f), load_fixture<3>("ch08", "ce_dlogp"), 1e-7,
                1e-6);
}

TEST_CASE("Adam takes the same three steps as torch.optim.Adam, with a changing rate") {
    Parameter p("p", {3, 4});
    p.value = load_fixture<2>("ch08", "adam_p0");
    Adam adam({&p});
    const auto grads = load_fixture<3>("ch08", "adam_grads");
    const auto params = load_fixture<3>("ch08", "adam_params");
    for (std::size_t step = 0; step < 3; ++step) {
        p.grad = xt::view(grads, step);
        adam.step(0.01 * double(step + 1));
        const Tensor<2> expected = xt::view(params, step);
        INFO("step " << step + 1);
        CHECK_CLOSE(p.value, expected, 1e-6, 1e-5);
    }
    CHECK(adam.steps() == 3);
}

TEST_CASE("the Noam schedule: the Annotated Transformer's value, and the peak at warm-up") {
    CHECK(0.5 * noam_rate(1, 512, 1.0, 400) == Approx(2.76e-6).epsilon(1e-3));
    CHECK(noam_rate(0, 512, 1.0, 400) == noam_rate(1, 512, 1.0, 400));
    const double peak = noam_rate(400, 512, 1.0, 400);
    CHECK(noam_rate(399, 512, 1.0, 400) < peak);
    CHECK(noam_rate(401, 512, 1.0, 400) < peak);
    CHECK(peak == Approx(std::pow(512.0, -0.5) * std::pow(400.0, -0.5)));
    CHECK(noam_rate(1600, 512, 2.0, 400) ==
          Approx(2.0 / std::sqrt(512.0) / 40.0));  // 1/√step after warm-up
}

TEST_CASE("clipping scales the global gradient norm down to the limit, and only down") {
    Parameter a("a", {2}), b("b", {1});
    a.grad = xt::xarray<float>({3.0f, 0.0f});
    b.grad = xt::zeros<float>({1});
    b.grad(0) = 4.0f;  // global norm 5
    CHECK(clip_grad_norm({&a, &b}, 10.0) == Approx(5.0));
    CHECK(a.grad(0) == 3.0f);
    CHECK(clip_grad_norm({&a, &b}, 1.0) == Approx(5.0));
    CHECK(a.grad(0) == Approx(0.6f).epsilon(1e-5));
    CHECK(b.grad(0) == Approx(0.8f).epsilon(1e-5));
}

namespace {
ModelConfig tiny_config() {
    return small_config(9);
}
std::vector<Batch> copy_batches(Rng& rng, std::size_t n, std::size_t B, std::size_t L) {
    return random_batches(rng, n, B, L, L, 9, /*copy=*/true);
}
}  // namespace

TEST_CASE("accumulating two half batches gives the update of the whole batch") {
    Rng rng(3);
    xt::xtensor<std::int64_t, 2> data = random_token_ids(rng, 4, 6, 9);
    xt::view(data, 3, xt::range(4, 6)) =
        0;  // some padding, so the halves have different token counts
    const Batch whole = make_batch(data, data, 0);
    const Batch top =
        make_batch(xt::view(data, xt::range(0, 1)), xt::view(data, xt::range(0, 1)), 0);
    const Batch bottom =
        make_batch(xt::view(data, xt::range(1, 4)), xt::view(data, xt::range(1, 4)), 0);
    auto train_once = [&](const std::vector<Batch>& batches, std::size_t accumulate) {
        EncoderDecoder model(tiny_config(), 5);
        LabelSmoothing criterion(9, 0, 0.1f);
        Adam adam(model.parameters());
        TrainOptions o;
        o.accumulate = accumulate;
        Trainer trainer(
            model, criterion, adam, [](std::size_t) { return 1e-3; }, o);
        trainer.run_epoch(batches, true);
        return xt::xarray<float>(
            find_parameter(model.parameters(), "encoder.layers.0.feed_forward.w_1.weight").value);
    };
    const auto one_step = train_once({whole}, 1);
    const auto accumulated = train_once({top, bottom}, 2);
    CHECK_CLOSE(accumulated, one_step, 1e-6, 1e-4);
}

TEST_CASE("a short run on a copy task: the loss falls below a stated bound") {
    EncoderDecoder model(tiny_config(), 1);
    LabelSmoothing criterion(9, 0, 0.0f);
    Adam adam(model.parameters());
    Trainer trainer(model, criterion, adam,
                    [](std::size_t step) { return noam_rate(step, 16, 1.0, 30); });
    Rng rng(2);
    const auto valid = copy_batches(rng, 2, 16, 6);
    const double before = trainer.run_epoch(valid, false).loss;
    for (int epoch = 0; epoch < 15; ++epoch)
        trainer.run_epoch(copy_batches(rng, 20, 16, 6), true, epoch);
    const double after = trainer.run_epoch(valid, false).loss;
    INFO("validation loss " << before << " → " << after);
    CHECK(before > 1.8);  // about log(8): guessing among 8 tokens
    CHECK(after < 0.3);
}

TEST_CASE("a NaN loss stops training with a message naming the step") {
    EncoderDecoder model(tiny_config(), 1);
    LabelSmoothing criterion(9, 0, 0.1f);
    Adam adam(model.parameters());
    Trainer trainer(model, criterion, adam, [](std::size_t) { return 1e-3; });
    Rng rng(4);
    const auto batches = copy_batches(rng, 2, 4, 5);
    find_parameter(model.parameters(), "generator.proj.bias").value(3) = NAN;
    CHECK_THROWS_WITH(
        trainer.run_epoch(batches, true, 7),
        Catch::Contains("training diverged") && Catch::Contains("at step 1 (epoch 7)"));
}

TEST_CASE("the step hook hears of every optimiser step: epoch, step, loss, rate, tokens") {
    EncoderDecoder model(tiny_config(), 1);
    LabelSmoothing criterion(9, 0, 0.0f);
    Adam adam(model.parameters());
    TrainOptions o;
    std::vector<StepRecord> steps;
    o.on_step = [&steps](const StepRecord& s) { steps.push_back(s); };
    Trainer trainer(
        model, criterion, adam, [](std::size_t step) { return 1e-3 * double(step); }, o);
    Rng rng(6);
    trainer.run_epoch(copy_batches(rng, 3, 4, 5), true, 2);
    trainer.run_epoch(copy_batches(rng, 2, 4, 5), false, 2);  // evaluation takes no step
    REQUIRE(steps.size() == 3);
    CHECK(steps[0].epoch == 2);
    CHECK(steps[0].step == 1);
    CHECK(steps[2].step == 3);
    CHECK(steps[2].lr == Approx(0.003));  // the rate of step 3
    CHECK(steps[2].tokens == 16);         // 4 sequences × 4 labels
    CHECK(std::isfinite(steps[1].loss));
}
