// Chapter 09: the copy task's data, seeded repeatability, exact resume from a checkpoint,
// and the NaN guard keeping the last good checkpoint.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "00_tensors/npy.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "08_training/train.hpp"
#include "08_training/training_run.hpp"
#include "09_copy_task/copy_task.hpp"
#include "fuzz_helpers.hpp"
#include "test_helpers.hpp"

using namespace tfm;

namespace {
CopyTaskOptions tiny_run() {
    CopyTaskOptions o;
    o.model = small_config(11);
    o.model.dropout = 0.1f;  // resume must restore the dropout generator too
    o.epochs = 3;
    o.batches_per_epoch = 3;
    o.batch_size = 8;
    o.warmup = 10;
    o.seed = 5;
    return o;
}
}  // namespace

TEST_CASE("copy-task batches: start symbol first, tokens 1..V-1, the target is the source") {
    Rng rng(1);
    const auto batches = copy_task_batches(rng, 11, 80, 2);
    REQUIRE(batches.size() == 2);
    const Batch& b = batches[0];
    CHECK(b.src_BM.shape() == std::array<std::size_t, 2>{80, 10});
    CHECK(b.tgt_in_BL.shape() == std::array<std::size_t, 2>{80, 9});
    CHECK(b.ntokens == 80 * 9);  // no padding anywhere
    bool seen_ten = false;
    for (std::size_t r = 0; r < 80; ++r) {
        CHECK(b.src_BM(r, 0) == kCopyStart);
        for (std::size_t c = 0; c < 10; ++c) {
            CHECK((b.src_BM(r, c) >= 1 && b.src_BM(r, c) <= 10));
            seen_ten = seen_ten || b.src_BM(r, c) == 10;
        }
        for (std::size_t c = 0; c < 9; ++c) CHECK(b.tgt_y_BL(r, c) == b.src_BM(r, c + 1));
    }
    CHECK(seen_ten);
}

TEST_CASE("a small model learns the copy task in seconds: unseen sequences copied exactly",
          "[learning]") {
    // The chapter's recipe scaled down: 1 layer, C = 32, sequences of a start symbol and 5
    // tokens, 40 epochs of 24 batches (25 leave one sequence in a hundred wrong); the tour's
    // run proves the same at C = 128.
    CopyTaskOptions o;
    o.model = small_config(11, 1, 32, 64, 4);
    o.model.dropout = 0.1f;
    o.epochs = 40;
    o.batches_per_epoch = 24;
    o.batch_size = 32;
    o.length = 6;
    o.warmup = 40;
    o.noam_size = 32;
    o.seed = 3;
    EncoderDecoder model(o.model, o.seed);
    const CopyTaskResult r = train_copy_task(o, model);
    REQUIRE(r.train_loss.size() == 40);
    INFO("training loss " << r.train_loss.front() << " → " << r.train_loss.back());
    CHECK(r.train_loss.back() < 0.1 * r.train_loss.front());
    Rng unseen(77);
    CHECK(copies_exactly(model, copy_task_batches(unseen, 11, 64, 1, o.length)[0].src_BM));
}

TEST_CASE("the same seed gives the same losses") {
    CopyTaskOptions o = tiny_run();
    o.epochs = 2;
    EncoderDecoder a(o.model, 7), b(o.model, 7);
    const auto ra = train_copy_task(o, a);
    const auto rb = train_copy_task(o, b);
    CHECK(ra.train_loss == rb.train_loss);
    CHECK(ra.eval_loss == rb.eval_loss);
}

TEST_CASE("resuming from a checkpoint ends with exactly the weights of an uninterrupted run") {
    const CopyTaskOptions o = tiny_run();
    EncoderDecoder straight(o.model, 7);
    const auto r_straight = train_copy_task(o, straight);

    CopyTaskOptions first = o;
    first.epochs = 2;
    const ScratchDirectory scratch("copy");
    first.checkpoint_dir = scratch / "run";
    EncoderDecoder interrupted(o.model, 7);
    train_copy_task(first, interrupted);

    CopyTaskOptions second = first;
    second.epochs = 3;
    second.start = RunStart::Resume;
    EncoderDecoder resumed(o.model,
                           99);  // a different seed: everything must come from the checkpoint
    const auto r_resumed = train_copy_task(second, resumed);
    CHECK(r_resumed.first_epoch == 3);
    CHECK(r_resumed.train_loss == r_straight.train_loss);
    const ParameterList ps = straight.parameters(), pr = resumed.parameters();
    for (std::size_t i = 0; i < ps.size(); ++i) {
        INFO(ps[i]->name);
        CHECK((ps[i]->value == pr[i]->value));  // bit for bit
    }
}

TEST_CASE("a NaN loss stops the run and leaves the last good checkpoint intact") {
    CopyTaskOptions o = tiny_run();
    const ScratchDirectory scratch("copy");
    o.checkpoint_dir = scratch / "run";
    o.before_epoch = [](std::size_t epoch, EncoderDecoder& model) {
        if (epoch == 2)
            find_parameter(model.parameters(), "generator.proj.weight").value(0, 0) = NAN;
    };
    EncoderDecoder model(o.model, 7);
    CHECK_THROWS_AS(train_copy_task(o, model), TrainingDiverged);
    const auto state = nlohmann::json::parse(read_file(o.checkpoint_dir + "/state.json"));
    CHECK(state.at("evaluations").size() == 1);
    CHECK(state.at("evaluations")[0].at("epoch").get<int>() == 1);
    EncoderDecoder reloaded = load_checkpoint(o.checkpoint_dir + "/model");
    for (float v : find_parameter(reloaded.parameters(), "generator.proj.weight").value)
        CHECK(std::isfinite(v));
}

TEST_CASE(
    "resuming a finished run trains nothing and a state.json that contradicts itself is refused") {
    CopyTaskOptions o = tiny_run();
    o.epochs = 2;
    const ScratchDirectory scratch("copy");
    o.checkpoint_dir = scratch / "run";
    EncoderDecoder model(o.model, 7);
    const auto first = train_copy_task(o, model);
    o.start = RunStart::Resume;
    EncoderDecoder again(o.model, 7);
    const auto resumed = train_copy_task(o, again);  // already at epoch 2 of 2
    CHECK(resumed.train_loss == first.train_loss);
    CHECK(resumed.first_epoch == 3);

    const std::string path = o.checkpoint_dir + "/state.json";
    const nlohmann::json good = nlohmann::json::parse(read_file(path));
    auto resume_with = [&](const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = good;
        edit(j);
        write_file_atomically(path, j.dump());
        EncoderDecoder m(o.model, 7);
        return train_copy_task(o, m);
    };
    CHECK_THROWS_WITH(
        resume_with([](nlohmann::json& j) { j["evaluations"] = nlohmann::json::array(); }),
        Catch::Contains("field 'evaluations' must be a non-empty list"));
    CHECK_THROWS_WITH(resume_with([](nlohmann::json& j) { j["evaluations"][0]["epoch"] = -1; }),
                      Catch::Contains("field 'epoch' must be in"));
    CHECK_THROWS_WITH(resume_with([](nlohmann::json& j) { j["evaluations"][0]["epoch"] = 1.5; }),
                      Catch::Contains("field 'epoch' must be an integer"));
    CHECK_THROWS_WITH(resume_with([](nlohmann::json& j) { j["adam_steps"] = -3; }),
                      Catch::Contains("field 'adam_steps' must be in"));
    CHECK_THROWS_WITH(resume_with([](nlohmann::json& j) { j["model_rng"] = "not a state"; }),
                      Catch::Contains("'model_rng' is not a generator state"));
    // An edited epoch would retrain or skip epochs: it must agree with steps.csv.
    CHECK_THROWS_WITH(resume_with([](nlohmann::json& j) { j["evaluations"][1]["epoch"] = 1; }),
                      Catch::Contains("the last evaluation is of epoch 1, but") &&
                          Catch::Contains("steps.csv ends in epoch 2"));
    CHECK_NOTHROW(resume_with([](nlohmann::json&) {}));  // the unedited state still resumes
    // Files that training could not have written: each refused by name, before training.
    auto resume = [&] {
        EncoderDecoder m(o.model, 7);
        return train_copy_task(o, m);
    };
    const std::string run = o.checkpoint_dir, config = run + "/model/config.json";
    const std::string config_text = read_file(config);
    write_file_atomically(config, "garbage");
    CHECK_THROWS_WITH(resume(), Catch::Contains(config));
    std::filesystem::remove(config);
    CHECK_THROWS_WITH(resume(), Catch::Contains(config));
    write_file_atomically(config, config_text);
    const std::string v = run + "/adam/v.generator.proj.bias.npy";
    const xt::xarray<float> kept_V = load_npy_array<float>(v);
    xt::xarray<float> negative_V = kept_V;
    negative_V(0) = -1.0f;
    save_npy(v, negative_V);
    CHECK_THROWS_WITH(resume(), Catch::Contains(v + ": holds -1") &&
                                    Catch::Contains("a second moment (a mean of squares) is never "
                                                    "negative"));
    save_npy(v, kept_V);
    save_npy(run + "/adam/m.bogus.npy", kept_V);
    CHECK_THROWS_WITH(resume(), Catch::Contains("unexpected file 'm.bogus.npy'"));
    std::filesystem::remove(run + "/adam/m.bogus.npy");
    CHECK_NOTHROW(resume());
    // A model/config.json that contradicts the model being resumed.
    write_file_atomically(path, good.dump());
    CopyTaskOptions wider = o;
    wider.model.d_model = 32;
    EncoderDecoder other(wider.model, 7);
    CHECK_THROWS_WITH(train_copy_task(wider, other),
                      Catch::Contains("the run was saved with other settings (model.d_model: 16 "
                                      "against 32, saved against asked)"));
}

TEST_CASE("resuming without a checkpoint, or from a damaged one, is a clear error") {
    CopyTaskOptions o = tiny_run();
    o.start = RunStart::Resume;
    EncoderDecoder model(o.model, 7);
    CHECK_THROWS_WITH(train_copy_task(o, model), "--resume needs --checkpoint DIR");
    const ScratchDirectory scratch("copy");
    o.checkpoint_dir = scratch / "nothing-here";
    CHECK_THROWS_WITH(train_copy_task(o, model), Catch::Contains("nothing-here"));
}
