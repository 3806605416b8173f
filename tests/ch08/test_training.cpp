// Chapter 08: batches and masks, label smoothing and cross-entropy against PyTorch,
// Adam against torch.optim.Adam, the Noam schedule, clipping, gradient accumulation,
// the NaN guard, and a short run whose loss falls.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include <xtensor/xview.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/text_files.hpp"
#include "07_encoder_decoder/generator.hpp"
#include "07_encoder_decoder/parameter_files.hpp"
#include "08_training/batch.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "08_training/training_run.hpp"
#include "fuzz_helpers.hpp"
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

namespace {
// A tiny model's run: trained for one epoch, evaluated, saved.
struct TinyRun {
    EncoderDecoder model{tiny_config(), 1};
    Adam adam{model.parameters()};
};
Evaluation evaluation_at(std::size_t epoch, std::size_t step) {
    Evaluation e;
    e.epoch = epoch;
    e.step = step;
    e.train_loss = 2.0;
    e.val_loss = 1.5;
    e.has_score = true;
    e.score = 12.5;
    e.seconds = 1.0;
    return e;
}
void train_a_little(TinyRun& r, TrainingRun& run, std::size_t epoch) {
    LabelSmoothing criterion(9, 0, 0.0f);
    TrainOptions o;
    o.on_step = [&run](const StepRecord& s) { run.log_step(s); };
    Trainer trainer(
        r.model, criterion, r.adam, [](std::size_t) { return 1e-3; }, o);
    Rng rng(epoch);
    trainer.run_epoch(copy_batches(rng, 2, 4, 5), true, epoch);
    run.record(evaluation_at(epoch, r.adam.steps()));
}
}  // namespace

TEST_CASE("a training run saves whole and resumes exactly: weights, Adam, generator, records") {
    const ScratchDirectory scratch("run");
    const std::string dir = scratch / "run";
    TinyRun a;
    TrainingRun run = TrainingRun::open(dir, "test run", RunStart::New);
    CHECK_FALSE(run.resumed());
    train_a_little(a, run, 1);
    const nlohmann::json settings = {{"model", "tiny"}, {"lr", 0.001}};
    run.save(model_files(a.model), a.adam, settings);
    CHECK(directory_kind(dir) == "test run");
    CHECK(run.has_save());

    TrainingRun back = TrainingRun::open(dir, "test run", RunStart::Resume);
    REQUIRE(back.resumed());
    CHECK(back.settings() == settings);
    REQUIRE(back.evaluations().size() == 1);
    CHECK(back.evaluations()[0].score == 12.5);
    CHECK(back.epochs_completed() == 1);
    REQUIRE(back.steps().size() == 2);
    CHECK(back.steps()[1].step == 2);
    TinyRun b;
    back.restore(model_files(b.model), b.adam);
    CHECK(b.adam.steps() == 2);
    CHECK(b.model.rng().state() == a.model.rng().state());
    const ParameterList pa = a.model.parameters(), pb = b.model.parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        INFO(pa[i]->name);
        CHECK((pa[i]->value == pb[i]->value));
        CHECK((a.adam.second_moments()[i] == b.adam.second_moments()[i]));
    }
}

TEST_CASE("a run is continued only with --resume and replaced only with --overwrite") {
    const ScratchDirectory scratch("run");
    const std::string dir = scratch / "run";
    TinyRun a;
    TrainingRun run = TrainingRun::open(dir, "test run", RunStart::New);
    train_a_little(a, run, 1);
    run.save(model_files(a.model), a.adam, nlohmann::json::object());
    // The same command again: an error that says which flag to use, and the run intact.
    CHECK_THROWS_WITH(TrainingRun::open(dir, "test run", RunStart::New),
                      dir +
                          " already holds a test run: continue it with --resume, or replace it "
                          "with --overwrite");
    // A run of another kind is never replaced, and never resumed.
    CHECK_THROWS_WITH(TrainingRun::open(dir, "other run", RunStart::Overwrite),
                      Catch::Contains("test run") && Catch::Contains("other run"));
    CHECK_THROWS_WITH(TrainingRun::open(dir, "other run", RunStart::Resume),
                      dir + " holds a test run, not a other run: nothing to resume");
    // --overwrite: the old run stays until the new one's first save replaces it.
    TrainingRun fresh = TrainingRun::open(dir, "test run", RunStart::Overwrite);
    CHECK_FALSE(fresh.has_save());
    CHECK(TrainingRun::open(dir, "test run", RunStart::Resume).epochs_completed() == 1);
    TinyRun b;
    fresh.record(evaluation_at(0, 0));
    fresh.save(model_files(b.model), b.adam, nlohmann::json::object());
    const TrainingRun replaced = TrainingRun::open(dir, "test run", RunStart::Resume);
    CHECK(replaced.epochs_completed() == 0);
    CHECK(replaced.steps().empty());
    // Nothing to resume where there is no run.
    CHECK_THROWS_WITH(TrainingRun::open(scratch / "none", "test run", RunStart::Resume),
                      Catch::Contains("no training run here to resume"));
}

namespace {
// A chapter's training settings in miniature: one field the run keeps (lr), one that may
// change on resume (epochs, in no table).
struct MiniSettings {
    double lr = 1.0;
    std::size_t epochs = 3;
    static const FieldTable<MiniSettings>& fields() {
        static const FieldTable<MiniSettings> table =
            FieldTable<MiniSettings>().number("lr", &MiniSettings::lr, 0.0, 10.0);
        return table;
    }
};
// Saves a tiny run whose settings.json is `settings`, and opens it again to resume.
TrainingRun saved_with(const std::string& dir, const nlohmann::json& settings) {
    TinyRun a;
    TrainingRun run = TrainingRun::open(dir, "test run", RunStart::Overwrite);
    run.record(evaluation_at(0, 0));
    run.save(model_files(a.model), a.adam, settings);
    return TrainingRun::open(dir, "test run", RunStart::Resume);
}
}  // namespace

TEST_CASE("a resumed run's settings are read by their field tables, and its data is checked") {
    const ScratchDirectory scratch("run");
    const std::string dir = scratch / "run";
    nlohmann::json settings;
    settings["model"] = ModelConfig::fields().to_json(tiny_config());
    settings["training"] = {{"lr", 0.5}};
    settings["data"] = {{"fingerprint", "0123abcd"}};
    const TrainingRun run = saved_with(dir, settings);
    CHECK(saved_model_config<ModelConfig>(run) == tiny_config());
    // The saved lr replaces the given one; epochs, in no table, keeps the given value.
    const MiniSettings s = saved_settings(run, MiniSettings::fields(), "training", {2.0, 7});
    CHECK(s.lr == 0.5);
    CHECK(s.epochs == 7);
    CHECK_NOTHROW(check_same_data(run, "0123abcd", "--data here"));
    CHECK_THROWS_AS(check_same_data(run, "0123abce", "--data there"), DataError);
    CHECK_THROWS_WITH(check_same_data(run, "0123abce", "--data there"),
                      "--data there: not the data this run was trained on (fingerprint "
                      "0123abce, the run's 0123abcd)");

    // Each error is a CheckpointError naming settings.json and what is wrong in it.
    const std::string file = dir + "/settings.json";
    nlohmann::json bad = settings;
    bad.erase("training");
    const TrainingRun no_training = saved_with(dir, bad);
    CHECK_THROWS_AS(saved_settings(no_training, MiniSettings::fields(), "training"),
                    CheckpointError);
    CHECK_THROWS_WITH(saved_settings(no_training, MiniSettings::fields(), "training"),
                      file + ": missing field 'training'");
    bad = settings;
    bad["training"]["lr"] = 11.0;
    CHECK_THROWS_AS(saved_settings(saved_with(dir, bad), MiniSettings::fields(), "training"),
                    CheckpointError);
    bad["training"] = {{"lr", 0.5}, {"momentum", 0.9}};
    CHECK_THROWS_WITH(saved_settings(saved_with(dir, bad), MiniSettings::fields(), "training"),
                      file + ": training: unknown field 'momentum'");
    bad = settings;
    bad["model"]["h"] = 3;  // in its range, but it does not divide d_model
    const TrainingRun bad_model = saved_with(dir, bad);
    CHECK_THROWS_AS(saved_model_config<ModelConfig>(bad_model), CheckpointError);
    CHECK_THROWS_WITH(saved_model_config<ModelConfig>(bad_model),
                      Catch::StartsWith(file + ": model config: h = 3 must divide d_model"));
    bad = settings;
    bad.erase("data");
    const TrainingRun no_data = saved_with(dir, bad);
    CHECK_THROWS_AS(check_same_data(no_data, "0123abcd", "--data here"), CheckpointError);
    CHECK_THROWS_WITH(check_same_data(no_data, "0123abcd", "--data here"),
                      file + ": missing field 'data'");
    bad["data"] = {{"train_pairs", 100}};
    CHECK_THROWS_AS(check_same_data(saved_with(dir, bad), "0123abcd", "--data here"),
                    CheckpointError);
}

TEST_CASE("every field of a saved state is checked before it is used") {
    nlohmann::json good = {{"format", 2}, {"adam_steps", 40}, {"model_rng", Rng(1).state()}};
    good["evaluations"] = nlohmann::json::array();
    for (std::size_t epoch : {1, 2}) {
        const Evaluation e = evaluation_at(epoch, 20 * epoch);
        good["evaluations"].push_back({{"epoch", e.epoch},
                                       {"step", e.step},
                                       {"train_loss", e.train_loss},
                                       {"val_loss", e.val_loss},
                                       {"train_seconds", 0.5},
                                       {"seconds", 1.0}});
    }
    CHECK(parse_run_state(good.dump(), "state.json").evaluations.size() == 2);
    auto error = [&](const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = good;
        edit(j);
        try {
            parse_run_state(j.dump(), "state.json");
        } catch (const CheckpointError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(error([](nlohmann::json& j) { j["evaluations"] = nlohmann::json::array(); }) ==
          "state.json: field 'evaluations' must be a non-empty list (a run is saved after an "
          "evaluation), got []");
    CHECK(error([](nlohmann::json& j) { j.erase("format"); }) ==
          "state.json: written by an earlier version of this book (no 'format' field; this "
          "version reads format 2): start the run again");
    CHECK_THAT(error([](nlohmann::json& j) { j["format"] = 3; }),
               Catch::Contains("a run of format 3; this version of the book reads format 2"));
    CHECK_THAT(error([](nlohmann::json& j) { j["adam_steps"] = 41; }),
               Catch::Contains("the last evaluation is at step 40 but Adam has taken 41 steps"));
    CHECK_THAT(
        error([](nlohmann::json& j) { std::swap(j["evaluations"][0], j["evaluations"][1]); }),
        Catch::Contains("evaluation 2 comes before the one above it"));
    CHECK_THAT(error([](nlohmann::json& j) { j["evaluations"][1]["val_loss"] = -1; }),
               Catch::Contains("field 'val_loss' must be in"));
    CHECK_THAT(error([](nlohmann::json& j) { j["evaluations"][0]["bleu"] = 3; }),
               Catch::Contains("unknown field 'bleu'"));
    // The step log must hold exactly Adam's steps, numbered from 1.
    CHECK(parse_step_log("epoch,step,loss,lr,tokens\n1,1,2.5,0.001,16\n1,2,2.25,0.002,16\n",
                         "steps.csv", 2)
              .size() == 2);
    CHECK_THROWS_WITH(
        parse_step_log("epoch,step,loss,lr,tokens\n1,1,2.5,0.001,16\n", "steps.csv", 2),
        "steps.csv: 1 steps logged, but Adam has taken 2");
    CHECK_THROWS_WITH(
        parse_step_log("epoch,step,loss,lr,tokens\n1,2,2.5,0.001,16\n", "steps.csv", 1),
        "steps.csv:2: step 2 where step 1 was expected");
    CHECK_THROWS_WITH(
        parse_step_log("epoch,step,loss,lr,tokens\n1,1,nan,0.001,16\n", "steps.csv", 1),
        Catch::Contains("expected epoch,step,loss,lr,tokens"));
}

TEST_CASE("fuzzing state.json: every mutant is read or refused with a CheckpointError") {
    nlohmann::json j = {{"format", 2}, {"adam_steps", 40}, {"model_rng", Rng(1).state()}};
    j["evaluations"] = {{{"epoch", 1},
                         {"step", 20},
                         {"train_loss", 2.5},
                         {"val_loss", 2.0},
                         {"score", 1.0},
                         {"train_seconds", 0.5},
                         {"seconds", 1.0}},
                        {{"epoch", 2},
                         {"step", 40},
                         {"train_loss", 1.25},
                         {"val_loss", 1.0},
                         {"train_seconds", 0.5},
                         {"seconds", 1.0}}};
    const std::size_t rejected =
        testing::fuzz<CheckpointError>({j.dump(2)}, 3000, 4, [](const std::string& text) {
            const SavedState s = parse_run_state(text, "state.json");
            REQUIRE_FALSE(s.evaluations.empty());
            REQUIRE(s.evaluations.back().step == s.adam_steps);
        });
    CHECK(rejected > 1500);
}
