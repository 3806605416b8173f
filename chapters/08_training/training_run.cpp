// training_run.cpp — opening, saving and restoring a training run, with every check.
#include "training_run.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "00_tensors/text_files.hpp"
#include "07_encoder_decoder/json_fields.hpp"
#include "07_encoder_decoder/parameter_files.hpp"

namespace tfm {

namespace fs = std::filesystem;

namespace {

// Bounds on state.json's counters: far beyond any run, and small enough to be exact in
// a double (JSON numbers are doubles to most tools).
constexpr std::uint64_t kMaxEpochs = 1000000;
constexpr std::uint64_t kMaxSteps = std::uint64_t(1) << 40;
constexpr std::size_t kMaxStateBytes = std::size_t(64) << 20;

nlohmann::ordered_json evaluation_json(const Evaluation& e) {
    nlohmann::ordered_json j;
    j["epoch"] = e.epoch;
    j["step"] = e.step;
    j["train_loss"] = e.train_loss;
    j["val_loss"] = e.val_loss;
    if (e.has_score) j["score"] = e.score;
    j["train_seconds"] = e.train_seconds;
    j["seconds"] = e.seconds;
    return j;
}

Evaluation evaluation_of(const nlohmann::json& j, const std::string& source) {
    Evaluation e;
    e.epoch = json_integer(j, "epoch", source, 0, kMaxEpochs);
    e.step = json_integer(j, "step", source, 0, kMaxSteps);
    e.train_loss = json_number(j, "train_loss", source, 0.0, 1e6);
    e.val_loss = json_number(j, "val_loss", source, 0.0, 1e6);
    e.has_score = j.contains("score");
    if (e.has_score) e.score = json_number(j, "score", source, -1e9, 1e9);
    e.train_seconds = json_number(j, "train_seconds", source, 0.0, 1e9);
    e.seconds = json_number(j, "seconds", source, 0.0, 1e9);
    for (auto it = j.begin(); it != j.end(); ++it) {
        static const char* known[] = {"epoch", "step",          "train_loss", "val_loss",
                                      "score", "train_seconds", "seconds"};
        bool ok = false;
        for (const char* k : known) ok = ok || it.key() == k;
        if (!ok) throw JsonFieldError(source + ": unknown field '" + printable(it.key()) + "'");
    }
    return e;
}

// One of Adam's moments for parameter `p`. The second moment is a running mean of squared
// gradients, so a negative value cannot have come from training: it would make the next
// step's √v̂ not a number, and the run would seem to diverge.
xt::xarray<float> load_moment(const std::string& path, const Parameter& p, bool second) {
    xt::xarray<float> moment = load_npy_array<float>(path);
    if (moment.shape() != p.value.shape()) {
        throw CheckpointError(path + ": expected shape " + shape_to_string(p.value.shape()) +
                              " (the shape of '" + p.name + "'), got " +
                              shape_to_string(moment.shape()));
    }
    for (float x : moment) {
        if (!std::isfinite(x))
            throw CheckpointError(path + ": holds a value that is not a finite number");
        if (second && x < 0.0f) {
            char value[32];
            std::snprintf(value, sizeof value, "%g", double(x));
            throw CheckpointError(path + ": holds " + value +
                                  ", but a second moment (a mean of squares) is never negative");
        }
    }
    return moment;
}

// adam/ holds m.NAME.npy and v.NAME.npy for each parameter and nothing else: a file of
// another model's parameter would otherwise be carried silently into every later save.
void check_adam_files(const std::string& dir, const ParameterList& params) {
    std::set<std::string> expected;
    for (const auto& p : params) {
        expected.insert("m." + p->name + ".npy");
        expected.insert("v." + p->name + ".npy");
    }
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (expected.count(name) == 0) {
            throw CheckpointError(dir + ": unexpected file '" + printable(name) +
                                  "' (Adam's moments of this model's parameters are m.NAME.npy "
                                  "and v.NAME.npy)");
        }
    }
}

std::string read_run_file(const std::string& path) {
    try {
        return read_file(path, kMaxStateBytes);
    } catch (const FileError& e) {
        throw CheckpointError(e.what());
    }
}

std::string step_log_text(const std::vector<StepRecord>& steps) {
    std::string text = "epoch,step,loss,lr,tokens\n";
    char line[128];
    for (const StepRecord& s : steps) {
        std::snprintf(line, sizeof line, "%zu,%zu,%.9g,%.9g,%zu\n", s.epoch, s.step, s.loss, s.lr,
                      s.tokens);
        text += line;
    }
    return text;
}

}  // namespace

// ---- reading what a run saved ---------------------------------------------------------------

SavedState parse_run_state(const std::string& text, const std::string& source) {
    SavedState saved;
    try {
        const nlohmann::json j = json_parse(text, source);
        if (!j.is_object() || !j.contains("format")) {
            throw JsonFieldError(source +
                                 ": written by an earlier version of this book (no 'format' "
                                 "field; this version reads format " +
                                 std::to_string(kRunFormat) + "): start the run again");
        }
        const std::uint64_t format = json_integer(j, "format", source, 0, 1000);
        if (format != std::uint64_t(kRunFormat)) {
            throw JsonFieldError(source + ": a run of format " + std::to_string(format) +
                                 "; this version of the book reads format " +
                                 std::to_string(kRunFormat));
        }
        saved.adam_steps = json_integer(j, "adam_steps", source, 0, kMaxSteps);
        saved.model_rng = json_string(j, "model_rng", source);
        const nlohmann::json& list = json_require(j, "evaluations", source);
        if (!list.is_array() || list.empty()) {
            throw JsonFieldError(source +
                                 ": field 'evaluations' must be a non-empty list (a run is "
                                 "saved after an evaluation), got " +
                                 list.dump().substr(0, 60));
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string where = source + ": evaluation " + std::to_string(i + 1);
            Evaluation e = evaluation_of(list[i], where);
            if (!saved.evaluations.empty()) {
                const Evaluation& before = saved.evaluations.back();
                if (e.step < before.step || e.epoch < before.epoch) {
                    throw JsonFieldError(where + " comes before the one above it (step " +
                                         std::to_string(e.step) + " after step " +
                                         std::to_string(before.step) + ")");
                }
            }
            saved.evaluations.push_back(e);
        }
        if (saved.evaluations.back().step != saved.adam_steps) {
            throw JsonFieldError(source + ": the last evaluation is at step " +
                                 std::to_string(saved.evaluations.back().step) +
                                 " but Adam has taken " + std::to_string(saved.adam_steps) +
                                 " steps");
        }
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    }
    return saved;
}

namespace {

std::vector<std::string> split_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    for (char c : line) {
        if (c == ',')
            fields.emplace_back();
        else
            fields.back() += c;
    }
    return fields;
}

// One field of steps.csv, as this book writes it and nothing looser: the counts are
// digits only (no sign, no space, no value past the type's range) and the numbers are
// finite (from_chars takes no leading space or '+').
bool parse_field(const std::string& text, std::size_t& value) {
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    return !text.empty() && error == std::errc() && stop == end;
}

bool parse_field(const std::string& text, double& value) {
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    return !text.empty() && error == std::errc() && stop == end && std::isfinite(value);
}

}  // namespace

std::vector<StepRecord> parse_step_log(const std::string& text, const std::string& source,
                                       std::uint64_t expected_steps) {
    std::vector<StepRecord> steps;
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != "epoch,step,loss,lr,tokens")
        throw CheckpointError(source + ":1: expected the header 'epoch,step,loss,lr,tokens'");
    std::size_t number = 1;
    while (std::getline(in, line)) {
        ++number;
        StepRecord s;
        const std::vector<std::string> fields = split_fields(line);
        if (fields.size() != 5 || !parse_field(fields[0], s.epoch) ||
            !parse_field(fields[1], s.step) || !parse_field(fields[2], s.loss) ||
            !parse_field(fields[3], s.lr) || !parse_field(fields[4], s.tokens) ||
            !(s.loss >= 0.0) || !(s.lr >= 0.0)) {
            throw CheckpointError(source + ":" + std::to_string(number) +
                                  ": expected epoch,step,loss,lr,tokens (counts, then a loss and "
                                  "a rate that are finite and not negative), got '" +
                                  printable(line) + "'");
        }
        if (s.step != steps.size() + 1) {
            throw CheckpointError(source + ":" + std::to_string(number) + ": step " +
                                  std::to_string(s.step) + " where step " +
                                  std::to_string(steps.size() + 1) + " was expected");
        }
        steps.push_back(s);
        if (steps.size() > expected_steps) break;
    }
    if (steps.size() != expected_steps) {
        throw CheckpointError(source + ": " + std::to_string(steps.size()) +
                              " steps logged, but Adam has taken " +
                              std::to_string(expected_steps));
    }
    return steps;
}

// ---- opening ----------------------------------------------------------------------------------

//! [open run]
void TrainingRun::repair(const std::string& dir, const std::string& flag) {
    const std::string recovered = recover_directory(dir, flag);
    if (!recovered.empty()) std::cerr << "note: " << recovered << "\n";
}

TrainingRun TrainingRun::open(const std::string& dir, const std::string& kind, RunStart start,
                              const std::string& flag, Repair who_repairs) {
    if (dir.empty()) throw std::invalid_argument("a training run needs a directory (" + flag + ")");
    TrainingRun run;
    run.layout_.dir = dir;
    run.kind_ = kind;
    std::error_code ec;
    // First, whatever the start, repair what an interrupted save left (unless the caller
    // already has: Repair::Done). A crash between its two renames leaves the run only
    // under a temporary name; put back, it is checked below like any run in that place (a
    // new start refuses it), never saved over unseen.
    if (who_repairs == Repair::Here) repair(dir, flag);
    if (start != RunStart::Resume) {
        // Before any work: a typo in --out must not cost an epoch, and nothing that is
        // not ours is ever replaced (check_output_directory names what is there).
        check_output_directory(dir, kind, flag);
        if (start == RunStart::New && directory_kind(dir) == kind) {
            throw FileError(dir + " already holds a " + kind +
                            ": continue it with --resume, or replace it with --overwrite");
        }
        return run;
    }
    // Resume: read everything.
    if (!fs::is_directory(dir, ec)) throw CheckpointError(dir + ": no training run here to resume");
    const std::string found = directory_kind(dir);
    if (found != kind) {
        throw CheckpointError(dir +
                              (found.empty() ? std::string(" is not a training run")
                                             : " holds a " + found + ", not a " + kind) +
                              ": nothing to resume");
    }
    // The run will be saved again: its parent must still be writable (and it must not be
    // the current directory), found now rather than after an epoch of training.
    check_output_directory(dir, kind, flag);
    const RunLayout& files = run.layout_;
    const SavedState saved = parse_run_state(read_run_file(files.state()), files.state());
    run.adam_steps_ = saved.adam_steps;
    run.model_rng_ = saved.model_rng;
    run.evaluations_ = saved.evaluations;
    run.steps_ = parse_step_log(read_run_file(files.steps()), files.steps(), saved.adam_steps);
    // The epoch a run resumes after is its last evaluation's, and that evaluation ended the
    // epoch of the last step logged: an edited epoch would retrain or skip epochs.
    if (!run.steps_.empty() && run.steps_.back().epoch != saved.evaluations.back().epoch) {
        throw CheckpointError(files.state() + ": the last evaluation is of epoch " +
                              std::to_string(saved.evaluations.back().epoch) + ", but " +
                              files.steps() + " ends in epoch " +
                              std::to_string(run.steps_.back().epoch));
    }
    try {
        run.settings_ = json_parse(read_run_file(files.settings()), files.settings());
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    }
    if (!run.settings_.is_object())
        throw CheckpointError(files.settings() + ": expected a JSON object");
    run.resumed_ = true;
    return run;
}
//! [open run]

std::size_t TrainingRun::epochs_completed() const {
    return evaluations_.empty() ? 0 : evaluations_.back().epoch;
}

void TrainingRun::log_step(const StepRecord& step) {
    steps_.push_back(step);
}

void TrainingRun::record(const Evaluation& evaluation) {
    evaluations_.push_back(evaluation);
}

// ---- restoring and saving ------------------------------------------------------------------

void TrainingRun::restore(const ModelFiles& model, Adam& adam) const {
    if (!resumed_) throw std::logic_error("TrainingRun::restore: the run was not resumed");
    read_parameter_files(layout_.model(), model.parameters, {"config.json"});
    const ParameterList& params = model.parameters;
    check_adam_files(layout_.adam(), params);
    try {
        for (std::size_t i = 0; i < params.size(); ++i) {
            adam.first_moments()[i] =
                load_moment(layout_.adam() + "/m." + params[i]->name + ".npy", *params[i], false);
            adam.second_moments()[i] =
                load_moment(layout_.adam() + "/v." + params[i]->name + ".npy", *params[i], true);
        }
    } catch (const FileError& e) {
        throw CheckpointError(std::string("optimiser state: ") + e.what());
    }
    adam.set_steps(std::size_t(adam_steps_));
    try {
        model.rng->set_state(model_rng_);
    } catch (const std::invalid_argument&) {
        throw CheckpointError(layout_.state() + ": field 'model_rng' is not a generator state");
    }
}

//! [save run]
void TrainingRun::save(const ModelFiles& model, const Adam& adam, const nlohmann::json& settings,
                       const std::function<void(const std::string& dir)>& more) {
    replace_directory(layout_.dir, kind_, [&](const std::string& tmp) {
        const RunLayout files{tmp};
        fs::create_directory(files.model());
        fs::create_directory(files.adam());
        model.write_config(files.model());
        write_parameter_files(files.model(), model.parameters);
        const ParameterList& params = model.parameters;
        for (std::size_t i = 0; i < params.size(); ++i) {
            save_npy(files.adam() + "/m." + params[i]->name + ".npy", adam.first_moments()[i]);
            save_npy(files.adam() + "/v." + params[i]->name + ".npy", adam.second_moments()[i]);
        }
        nlohmann::ordered_json state;
        state["format"] = kRunFormat;
        state["adam_steps"] = adam.steps();
        state["model_rng"] = model.rng->state();
        state["evaluations"] = nlohmann::ordered_json::array();
        for (const Evaluation& e : evaluations_) state["evaluations"].push_back(evaluation_json(e));
        write_file_atomically(files.state(), state.dump(2) + "\n");
        write_file_atomically(files.steps(), step_log_text(steps_));
        write_file_atomically(files.settings(), settings.dump(2) + "\n");
        if (more) more(tmp);
    });
    settings_ = settings;
    adam_steps_ = adam.steps();
    saved_ = true;
}
//! [save run]

void check_same_data(const TrainingRun& run, const std::string& fingerprint,
                     const std::string& given) {
    const std::string source = run.layout().settings();
    std::string saved;
    try {
        saved = json_string(json_require(run.settings(), "data", source), "fingerprint",
                            source + ": data");
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    }
    if (saved != fingerprint) {
        throw DataError(given + ": not the data this run was trained on (fingerprint " +
                        fingerprint + ", the run's " + saved + ")");
    }
}

}  // namespace tfm
