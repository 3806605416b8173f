// training_run.hpp — a training run that stops, resumes exactly, and is never lost
// (chapter 08).
//
// To continue a run as if it had never stopped, a checkpoint needs more than the
// weights. Adam's update depends on its two running averages m and v and on its step
// count t (through the bias corrections); dropout depends on the state of the model's
// random generator; and the run must know how it was started and how far it got. A
// training run is one directory, laid out here and nowhere else:
//
//     run/
//       .annotated-transformer   the marker: which program's run this is (its kind)
//       settings.json            how the run was started: the model, the training
//                                settings and how far to go ("length"), exactly as the
//                                chapter's field tables write them
//       model/                   the weights, as a chapter 07 checkpoint directory
//       adam/                    m.<key>.npy and v.<key>.npy for every parameter
//       state.json               how far it got: Adam's step count, the generator's state,
//                                and one typed record per evaluation
//       steps.csv                epoch,step,loss,lr,tokens — one line per optimiser step
//       ...                      the chapter's own files (vocabularies, snapshots)
//
// The directory is replaced atomically at every save (files.hpp), so a crash or a NaN
// leaves the last good save on disk. Opening a run happens once, in one pass: any
// interrupted save is repaired, the marker, settings.json, state.json and steps.csv are
// read and every field checked, and only then does the chapter build its model.
//
// A run is only ever continued or replaced when asked: `open` with RunStart::New refuses
// a directory that already holds a run (use --resume to continue it, --overwrite to
// replace it), and no start ever touches a run of another kind, a directory of the
// reader's own, or a run written in an older format.
//
// Nothing here knows which model is trained: a ModelFiles says what to save of it (its
// parameters, its generator, how to write its config.json), for chapter 07's
// encoder-decoder (train.hpp) and chapter 12's language model alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/parameter.hpp"
#include "00_tensors/random.hpp"
#include "07_encoder_decoder/config_fields.hpp"
#include "07_encoder_decoder/parameter_files.hpp"
#include "optimizer.hpp"

namespace tfm {

/// The files of a training run, named in one place.
struct RunLayout {
    std::string dir;
    std::string settings() const { return dir + "/settings.json"; }
    std::string model() const { return model_directory(dir); }
    std::string adam() const { return dir + "/adam"; }
    std::string state() const { return dir + "/state.json"; }
    std::string steps() const { return dir + "/steps.csv"; }
};

/// The version of state.json this book writes; older runs give an error naming both.
inline constexpr int kRunFormat = 2;

/// What one evaluation measured.
struct Evaluation {
    std::size_t epoch = 0;     ///< epochs completed (0 in runs that count iterations)
    std::size_t step = 0;      ///< optimiser steps completed
    double train_loss = 0.0;   ///< mean training loss per token (over the epoch, or estimated)
    double val_loss = 0.0;     ///< mean validation loss per token
    bool has_score = false;    ///< whether `score` was measured
    double score = 0.0;        ///< a task's score on the validation data (chapter 10: BLEU)
    double train_seconds = 0;  ///< the training steps since the previous evaluation
    double seconds = 0;        ///< everything since the previous evaluation, itself included
};

/// One optimiser step, as steps.csv records it.
struct StepRecord {
    std::size_t epoch = 0;
    std::size_t step = 0;
    double loss = 0.0;
    double lr = 0.0;
    std::size_t tokens = 0;
};

/// What a training run saves of a model: its parameters, its random generator (dropout),
/// and how to write its configuration (config.json) into model/.
struct ModelFiles {
    ParameterList parameters;
    Rng* rng = nullptr;
    std::function<void(const std::string& dir)> write_config;
};

/// How a program starts a run in a directory.
enum class RunStart {
    New,        ///< the directory must be absent or empty
    Resume,     ///< continue the run in it
    Overwrite,  ///< replace the run in it (at the first save; until then it is intact)
};

/// Who repairs an interrupted save of the run before it is opened.
enum class Repair {
    Here,  ///< `open` does (one process opens the run)
    Done,  ///< the caller has, with TrainingRun::repair (chapter 13: rank 0, before the
           ///< ranks open the run together: ranks repairing at once would each find the
           ///< other's renames half done)
};

class TrainingRun {
public:
    /// Opens `dir` for a run of `kind` ("translation training run"): first repairs an
    /// interrupted save (unless the caller has), then checks, before any work, that the
    /// start is allowed (see above); with RunStart::Resume it then reads and checks
    /// settings.json, state.json and steps.csv. Either way the directory must be one that
    /// can be saved again (its parent writable, not the current directory). Errors are one
    /// line naming the file and the field, or saying which flag to use; `flag` is the
    /// option that named `dir`.
    static TrainingRun open(const std::string& dir, const std::string& kind, RunStart start,
                            const std::string& flag = "--out", Repair who_repairs = Repair::Here);
    /// Puts back a run that an interrupted save left only under a temporary name
    /// (files.hpp's recover_directory), and says so on standard error. `open` calls it
    /// first; a caller that opens one run in several processes calls it once, in one.
    static void repair(const std::string& dir, const std::string& flag = "--out");

    const RunLayout& layout() const { return layout_; }
    const std::string& kind() const { return kind_; }
    /// True when the run continues a saved one (after open with RunStart::Resume).
    bool resumed() const { return resumed_; }
    /// True once there is a save of this run on disk (resumed, or saved since open).
    bool has_save() const { return resumed_ || saved_; }
    /// What a run that stops now (a diverged loss) leaves: "the last good save is intact
    /// in DIR", or "nothing of this run was saved".
    std::string what_is_saved() const {
        return has_save() ? "the last good save is intact in " + layout_.dir
                          : "nothing of this run was saved";
    }

    /// The settings the run was started with (a resumed run; empty before).
    const nlohmann::json& settings() const { return settings_; }
    /// One record per evaluation so far, oldest first.
    const std::vector<Evaluation>& evaluations() const { return evaluations_; }
    /// One record per optimiser step so far.
    const std::vector<StepRecord>& steps() const { return steps_; }
    /// Epochs completed: the last evaluation's (0 before the first).
    std::size_t epochs_completed() const;

    /// Appends one optimiser step to the log.
    void log_step(const StepRecord& step);
    /// Appends one evaluation.
    void record(const Evaluation& evaluation);
    /// Records that another process has saved this run (chapter 13's rank 0, for the
    /// other ranks), so that what_is_saved speaks for it.
    void mark_saved_elsewhere() { saved_ = true; }

    /// Puts a resumed run's weights, generator state, Adam moments and step count into a
    /// model built from its settings; any tensor of the wrong shape or any non-finite
    /// value is a CheckpointError naming the file.
    void restore(const ModelFiles& model, Adam& adam) const;

    /// Writes the whole run atomically: `settings`, the model, Adam, the evaluations and
    /// the step log; `more` writes the chapter's own files into the new directory before
    /// it is swapped in.
    void save(const ModelFiles& model, const Adam& adam, const nlohmann::json& settings,
              const std::function<void(const std::string& dir)>& more = {});

private:
    RunLayout layout_;
    std::string kind_;
    bool resumed_ = false, saved_ = false;
    nlohmann::json settings_;
    std::vector<Evaluation> evaluations_;
    std::vector<StepRecord> steps_;
    std::uint64_t adam_steps_ = 0;
    std::string model_rng_;
};

/// Why a resumed run refuses a flag that would change its settings.
inline constexpr char kResumedRunKeepsSettings[] =
    ": a resumed run keeps the settings it was started with (leave the flag out, or start a "
    "new run)";

//! [saved settings]
/// Section `section` of a resumed run's settings.json ("model", "training"), read by
/// `table` over `asked` (what the command line asked for): every field of the table there,
/// of its type and in its range, and no other. What is not in the table (how long to
/// train, say) keeps its value from `asked`. A run keeps its settings, so a flag named on
/// the command line (`given`) with another value than the run's is an
/// std::invalid_argument naming both; errors in the file are CheckpointErrors naming the
/// file and the field.
template <class Config>
Config saved_settings(const TrainingRun& run, const FieldTable<Config>& table,
                      const std::string& section, const Config& asked = Config(),
                      const std::vector<std::string>& given = {}) {
    const std::string source = run.layout().settings();
    Config kept;
    try {
        kept = table.from_json(json_require(run.settings(), section, source),
                               source + ": " + section, asked);
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    }
    const std::string conflict = table.flag_conflict(asked, kept, given);
    if (!conflict.empty()) throw std::invalid_argument(conflict + kResumedRunKeepsSettings);
    return kept;
}

/// The seed is a setting too, but its flag is the program's (`--seed`, before the
/// command), in no field table: when it was `given`, the seed it `asked` for must be the
/// run's (`kept`), or an std::invalid_argument names both, as saved_settings does.
inline void check_same_seed(std::uint64_t asked, std::uint64_t kept, bool given) {
    if (given && asked != kept) {
        throw std::invalid_argument("--seed " + std::to_string(asked) + ", the run's " +
                                    std::to_string(kept) + kResumedRunKeepsSettings);
    }
}

/// How far a resumed run goes and how much it reports (section `section`, read by
/// `table`, e.g. the epochs): the run's own values, except for the flags named on the
/// command line (`given`), which may change them. A run saved before the section existed
/// goes as far as `asked`.
template <class Config>
Config saved_lengths(const TrainingRun& run, const FieldTable<Config>& table,
                     const std::string& section, const Config& asked,
                     const std::vector<std::string>& given) {
    if (!run.settings().contains(section)) return asked;
    return table.with_flags_from(saved_settings(run, table, section, asked), asked, given);
}

/// A chapter's training options `o` in a run's settings, by the two field tables of
/// `Options`: its settings_fields as section "training" (what the run keeps for its whole
/// life) and its length_fields as section "length" (how far it goes, how much it reports).
template <class Options>
void put_options(nlohmann::ordered_json& settings, const Options& o) {
    settings["training"] = Options::settings_fields().to_json(o);
    settings["length"] = Options::length_fields().to_json(o);
}

/// The training options of a resumed run, read back over `asked` (the command line's), as
/// put_options wrote them: its settings kept (saved_settings: a flag in `given` may not
/// change them), and how far it goes the run's unless a flag changes it (saved_lengths).
template <class Options>
Options saved_options(const TrainingRun& run, const Options& asked,
                      const std::vector<std::string>& given) {
    const Options kept = saved_settings(run, Options::settings_fields(), "training", asked, given);
    return saved_lengths(run, Options::length_fields(), "length", kept, given);
}

/// The model a resumed run was saved with (settings.json's "model"), read by its
/// configuration's field table and validated, before a model of that size is built; the
/// weights in model/ must hold as many numbers as it implies (check_parameter_count). A
/// model flag named on the command line (`given`) must agree with it, as in saved_settings,
/// and so must model/config.json.
template <class Config>
Config saved_model_config(const TrainingRun& run, const Config& asked = Config(),
                          const std::vector<std::string>& given = {}) {
    Config c = saved_settings(run, Config::fields(), "model", asked, given);
    try {
        c.validate();
    } catch (const std::invalid_argument& e) {
        throw CheckpointError(run.layout().settings() + ": " + e.what());
    }
    // The model is recorded twice — in settings.json, and in model/config.json, which
    // makes model/ a checkpoint of its own — and the two must agree.
    const std::string path = run.layout().model() + "/config.json";
    Config written;
    try {
        written = parse_config<Config>(read_file(path, std::size_t(1) << 20), path);
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    } catch (const FileError& e) {
        throw CheckpointError(e.what());
    }
    const std::string difference = Config::fields().difference(c, written);
    if (!difference.empty()) {
        throw CheckpointError(path + " does not match the model in " + run.layout().settings() +
                              " (" + difference + ")");
    }
    check_parameter_count(run.layout().model(), c.parameter_count());
    return c;
}

/// Refuses data other than what a resumed run was trained on: `fingerprint` (text_files.hpp's
/// Fingerprint) of the data that `given` names ("--data DIR") against settings.json's
/// data.fingerprint. A DataError names both.
void check_same_data(const TrainingRun& run, const std::string& fingerprint,
                     const std::string& given);
//! [saved settings]

/// The parsed and checked contents of a state.json (`source` names it in errors): the
/// evaluations must be non-empty, in order, with finite losses, and end at Adam's step
/// count.
struct SavedState {
    std::uint64_t adam_steps = 0;
    std::string model_rng;
    std::vector<Evaluation> evaluations;
};
SavedState parse_run_state(const std::string& text, const std::string& source);

/// The parsed and checked lines of a steps.csv: exactly `expected_steps` lines after the
/// header, steps numbered 1, 2, 3, ...
std::vector<StepRecord> parse_step_log(const std::string& text, const std::string& source,
                                       std::uint64_t expected_steps);

}  // namespace tfm
