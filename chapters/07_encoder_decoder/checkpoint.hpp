// checkpoint.hpp — checkpoints PyTorch can read (chapter 07).
//
// A checkpoint is a directory:
//
//     config.json                                   {"src_vocab": 11, "tgt_vocab": 11, "N": 2, ...}
//     encoder.layers.0.self_attn.linears.0.weight.npy   one float32 .npy per parameter,
//     ...                                               named by its state_dict key
//     generator.proj.bias.npy
//
// scripts/convert_checkpoint.py turns it into a PyTorch state_dict file of the Annotated
// Transformer's model and back. Saving goes through replace_directory (files.hpp):
// everything is written into a temporary directory beside the target and renamed into
// place, so an interrupted save never leaves a half-written checkpoint, and a directory
// that is not a checkpoint is never replaced.
// Loading checks everything and names what is wrong: a missing or unexpected key, a
// wrong shape or dtype, a truncated file, a config that does not match the tensors.
// The positional-encoding buffers a PyTorch state_dict carries (src_embed.1.pe,
// tgt_embed.1.pe) are accepted and checked against our table, never required.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "00_tensors/npy.hpp"
#include "encoder_decoder.hpp"

namespace tfm {

/// Thrown for a checkpoint that cannot be loaded; the message names the problem.
class CheckpointError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// config.json's text for a configuration, and back (with validation).
std::string config_to_json(const ModelConfig& config);
ModelConfig config_from_json(const std::string& text, const std::string& source);

/// The kind of directory a model checkpoint is (its files.hpp marker).
inline constexpr const char* kModelCheckpointKind = "model checkpoint";

/// Writes `model` to directory `dir` (replacing any checkpoint there), atomically.
void save_checkpoint(const std::string& dir, EncoderDecoder& model);

/// Writes the model's files (config.json and one .npy per parameter) into the existing
/// directory `dir`, without the atomic swap: for callers that build a larger directory.
void write_checkpoint_files(const std::string& dir, EncoderDecoder& model);

/// Reads the configuration of the checkpoint in `dir`, and checks it against the headers
/// of the tensors it implies (check_config_against_files) before anyone builds a model
/// of that size.
ModelConfig load_checkpoint_config(const std::string& dir);

/// Compares the sizes config.json gives with the shapes the .npy headers declare (vocab
/// sizes, d_model, d_ff, the number of layers); throws CheckpointError on a mismatch.
void check_config_against_files(const std::string& dir, const ModelConfig& config);

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

/// Loads every parameter of the checkpoint in `dir` into `model`, whose configuration
/// must be the checkpoint's.
void load_checkpoint_into(const std::string& dir, EncoderDecoder& model);

/// Builds a model from the checkpoint in `dir`.
EncoderDecoder load_checkpoint(const std::string& dir);

}  // namespace tfm
