// parameter_files.hpp — a model's parameters as a directory of .npy files (chapter 07).
//
// Every model of this book saves its weights the same way: one .npy file per parameter,
// named by its PyTorch state_dict key (encoder.layers.0.self_attn.linears.0.weight.npy),
// in PyTorch's layout. Nothing here knows which model it is: the parameter list says
// which files must be there and what shape each must have, so chapter 07's
// encoder-decoder, chapter 12's language model and chapter 08's training runs all share
// these two functions and their checks.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "00_tensors/npy.hpp"
#include "00_tensors/parameter.hpp"
#include "config_fields.hpp"

namespace tfm {

/// Thrown for a checkpoint that cannot be loaded; the message names the problem.
class CheckpointError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The kind of directory a model checkpoint is (its files.hpp marker): config.json and
/// the parameter files, for every model of the book.
inline constexpr const char* kModelCheckpointKind = "model checkpoint";

/// Where a directory that holds a model among other files keeps it: a training run
/// (chapter 08), a translator with its vocabularies (chapter 10), a language model with its
/// characters (chapter 12). It is a checkpoint of its own, so any of them can be read by the
/// loader of its model alone.
inline std::string model_directory(const std::string& dir) {
    return dir + "/model";
}

/// Refuses a checkpoint directory `dir` that is not there (or not a directory) with a
/// CheckpointError. If a save of it was interrupted between its two renames, nothing is
/// lost: the message names the complete copy that save left (files.hpp's
/// interrupted_save_of) and how to put it back.
void require_checkpoint_directory(const std::string& dir);

/// Reads a model's config.json (config_fields.hpp's parse_config: strict JSON, the
/// table's fields and ranges, then Config::validate()), every problem a CheckpointError
/// naming `source`. The ranges keep a corrupt file from asking for terabytes before a
/// tensor is read. Every model's Config::from_json is this.
template <class Config>
Config parse_model_config(const std::string& text, const std::string& source) {
    try {
        return parse_config<Config>(text, source);
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    }
}

/// One .npy per parameter, named by its key: the files of any model of this book. With
/// `storage` DType::Float16 each weight is rounded to half precision (half the bytes;
/// the book ships its trained models that way); loading widens it back to float32.
void write_parameter_files(const std::string& dir, const ParameterList& params,
                           DType storage = DType::Float32);

/// Loads every parameter from `dir`, checking each file (missing, unexpected — other
/// than the names in `also_allowed` —, dtype, shape, truncation, non-finite values).
/// float16 files are widened to float32.
void read_parameter_files(const std::string& dir, const ParameterList& params,
                          const std::vector<std::string>& also_allowed = {});

/// How many more parameters than its files hold a config.json may imply before
/// check_parameter_count refuses it: 16 M numbers, 64 MiB of weights (and as much of
/// gradients) at most built for nothing.
inline constexpr std::size_t kParameterSlack = std::size_t(1) << 24;

/// Before a model is built from a config.json: the numbers its .npy files declare (their
/// headers, each checked against its file's size; the files in `not_parameters` aside)
/// must add up to the `expected` parameters the config implies, give or take
/// kParameterSlack. So no config can ask for much more memory than the files hold — a
/// lying width or depth is a CheckpointError naming both counts, not an allocation of
/// hundreds of GiB; smaller differences are named key by key by read_parameter_files.
void check_parameter_count(const std::string& dir, std::size_t expected,
                           const std::vector<std::string>& not_parameters = {});

}  // namespace tfm
