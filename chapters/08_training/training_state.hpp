// training_state.hpp — a training run that can stop and resume exactly (chapter 08).
//
// To continue a run as if it had never stopped, a checkpoint needs more than the
// weights. Adam's update depends on its two running averages m and v and on its step
// count t (through the bias corrections); dropout depends on the state of the model's
// random generator; and the run needs to know which epoch comes next. A training-run
// directory holds all of it:
//
//     run/
//       model/           the weights, as a chapter 07 checkpoint (config.json + .npy files)
//       adam/            m.<key>.npy and v.<key>.npy for every parameter
//       state.json       {"epoch": 3, "adam_steps": 1200, "model_rng": "...",
//                         "train_loss": [...], "eval_loss": [...], "extra": {...}}
//       ...              whatever else the chapter saves (vocabularies, data order, ...)
//
// The whole directory is replaced atomically after every epoch (files.hpp), so a crash
// or a NaN leaves the last good epoch on disk. Loading checks everything before it
// trusts any of it: the model's config.json against the model being resumed, every
// tensor's shape, every field's type and range, and losses that are finite numbers,
// one per completed epoch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "07_encoder_decoder/encoder_decoder.hpp"
#include "optimizer.hpp"

namespace tfm {

/// The kind of directory a training run is (its files.hpp marker).
inline constexpr const char* kTrainingRunKind = "training run";

/// Where a run stands after `epoch` completed epochs.
struct RunState {
    std::size_t epoch = 0;                            ///< epochs completed (≥ 1 in a saved run)
    std::vector<double> train_loss;                   ///< one per completed epoch
    std::vector<double> eval_loss;                    ///< one per completed epoch
    nlohmann::json extra = nlohmann::json::object();  ///< the chapter's own fields
};

/// What a training run saves of a model: its parameters, its random generator, and how
/// to write its own files into model/ and to read them back (checking that they are the
/// model's configuration). model_files() gives these for chapter 07's encoder-decoder;
/// chapter 12's language model gives its own.
struct ModelFiles {
    ParameterList parameters;
    Rng* rng = nullptr;
    std::function<void(const std::string& dir)> write;
    std::function<void(const std::string& dir)> read;
};

/// What state.json holds, parsed and checked (every field's type and range, one finite
/// loss per completed epoch); errors are CheckpointErrors naming `source` and the field.
struct SavedState {
    RunState run;
    std::uint64_t adam_steps = 0;
    std::string model_rng;
};
SavedState parse_training_state(const std::string& text, const std::string& source);

/// The ModelFiles of an encoder-decoder: a chapter 07 checkpoint.
ModelFiles model_files(EncoderDecoder& model);

/// Saves the run into `dir` atomically (see above). `more` may write further files into
/// the new directory before it is swapped in.
void save_training_run(const std::string& dir, const ModelFiles& model, Adam& adam,
                       const RunState& state,
                       const std::function<void(const std::string&)>& more = {});
void save_training_run(const std::string& dir, EncoderDecoder& model, Adam& adam,
                       const RunState& state,
                       const std::function<void(const std::string&)>& more = {});

/// Loads a run saved by save_training_run into the model and `adam`, which must have been
/// built with the run's configuration; returns where it stands. Repairs what an
/// interrupted save left (files.hpp's recover_directory) and says so on stderr. Any
/// inconsistency is a CheckpointError naming the file and the field.
RunState load_training_run(const std::string& dir, const ModelFiles& model, Adam& adam);
RunState load_training_run(const std::string& dir, EncoderDecoder& model, Adam& adam);

}  // namespace tfm
