// Chapter 08: the training run — saved whole, resumed exactly, continued or replaced only
// when asked, found again after an interrupted save; every field of its files checked.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <string>

#include "00_tensors/files.hpp"
#include "07_encoder_decoder/encoder_decoder.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"
#include "08_training/training_run.hpp"
#include "fuzz_helpers.hpp"
#include "test_helpers.hpp"

using namespace tfm;

namespace {
// A tiny model's run: trained for one epoch, evaluated, saved.
struct TinyRun {
    EncoderDecoder model{small_config(9), 1};
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
    trainer.run_epoch(random_batches(rng, 2, 4, 5, 5, 9, /*copy=*/true), true, epoch);
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

namespace {
// A tiny run in `dir`: one epoch, saved.
void save_a_tiny_run(const std::string& dir) {
    TinyRun a;
    TrainingRun run = TrainingRun::open(dir, "test run", RunStart::New);
    train_a_little(a, run, 1);
    run.save(model_files(a.model), a.adam, nlohmann::json::object());
}
const std::string kAlreadyHolds =
    " already holds a test run: continue it with --resume, or replace it with --overwrite";
}  // namespace

TEST_CASE("a run is continued only with --resume and replaced only with --overwrite") {
    const ScratchDirectory scratch("run");
    const std::string dir = scratch / "run";
    save_a_tiny_run(dir);
    // The same command again: an error that says which flag to use, and the run intact.
    CHECK_THROWS_WITH(TrainingRun::open(dir, "test run", RunStart::New), dir + kAlreadyHolds);
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

TEST_CASE("a new run finds a run that an interrupted save left under a temporary name") {
    // Killed between the two renames of a save: the run is only under "run.tmp.<pid>".
    const ScratchDirectory scratch("run");
    const std::string dir = scratch / "run";
    save_a_tiny_run(dir);
    std::filesystem::rename(dir, dir + ".tmp.999999999");  // no process has that number
    // Starting a new run there puts it back first, and then refuses it as it would have.
    CHECK_THROWS_WITH(TrainingRun::open(dir, "test run", RunStart::New), dir + kAlreadyHolds);
    CHECK(TrainingRun::open(dir, "test run", RunStart::Resume).epochs_completed() == 1);
    // A run of another kind is found the same way, and never replaced.
    std::filesystem::rename(dir, dir + ".old.999999999");
    CHECK_THROWS_WITH(TrainingRun::open(dir, "other run", RunStart::New),
                      Catch::Contains("holds a test run, not a other run"));
    CHECK(directory_kind(dir) == "test run");
}

TEST_CASE("a run opened by several processes is repaired once, by the one asked to") {
    // Chapter 13: rank 0 repairs (TrainingRun::repair), then every rank opens the run with
    // Repair::Done, which leaves the directory as it finds it.
    const ScratchDirectory scratch("run");
    const std::string dir = scratch / "run";
    save_a_tiny_run(dir);
    std::filesystem::rename(dir, dir + ".tmp.999999999");
    CHECK_THROWS_WITH(TrainingRun::open(dir, "test run", RunStart::Resume, "--out", Repair::Done),
                      dir + ": no training run here to resume");
    CHECK(std::filesystem::exists(dir + ".tmp.999999999"));  // not touched
    TrainingRun::repair(dir);
    CHECK_FALSE(std::filesystem::exists(dir + ".tmp.999999999"));
    CHECK(TrainingRun::open(dir, "test run", RunStart::Resume, "--out", Repair::Done)
              .epochs_completed() == 1);
}

TEST_CASE("a resumed run keeps its seed: another --seed is refused, naming both") {
    CHECK_NOTHROW(check_same_seed(7, 7, true));
    CHECK_NOTHROW(check_same_seed(7, 3, false));  // not named: the run's own is used
    CHECK_THROWS_AS(check_same_seed(7, 3, true), std::invalid_argument);
    CHECK_THROWS_WITH(check_same_seed(7, 3, true),
                      "--seed 7, the run's 3: a resumed run keeps the settings it was started "
                      "with (leave the flag out, or start a new run)");
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
    settings["model"] = ModelConfig::fields().to_json(small_config(9));
    settings["training"] = {{"lr", 0.5}};
    settings["data"] = {{"fingerprint", "0123abcd"}};
    const TrainingRun run = saved_with(dir, settings);
    CHECK(saved_model_config<ModelConfig>(run) == small_config(9));
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
    // Each line as the book writes it, and nothing looser: no sign, no space, no count past
    // its type's range, no loss or rate that is not a finite number >= 0, five fields.
    for (const std::string line :
         {"1,1,nan,0.001,16", "1,1,2.5,0.001,-16", "1,1,2.5,0.001, 16", "+1,1,2.5,0.001,16",
          "99999999999999999999,1,2.5,0.001,16", "1,1,-2.5,0.001,16", "1,1,2.5,-0.001,16",
          "1,1,2.5,0.001", "1,1,2.5,0.001,16,", "1,1,2.5,0.001,16x", "1,1,2.5,inf,16",
          "1,1,,0.001,16"}) {
        INFO(line);
        CHECK_THROWS_WITH(
            parse_step_log("epoch,step,loss,lr,tokens\n" + line + "\n", "steps.csv", 1),
            Catch::StartsWith("steps.csv:2: expected epoch,step,loss,lr,tokens") &&
                Catch::Contains("got '" + line + "'"));
    }
    CHECK(parse_step_log("epoch,step,loss,lr,tokens\n1,1,2.5e-3,1e-09,16\n", "steps.csv", 1)
              .front()
              .lr == 1e-9);
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
