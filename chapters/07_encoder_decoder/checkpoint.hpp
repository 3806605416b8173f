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

#include "encoder_decoder.hpp"
#include "parameter_files.hpp"

namespace tfm {

/// Writes `model` to directory `dir` (replacing any checkpoint there), atomically.
void save_checkpoint(const std::string& dir, EncoderDecoder& model);

/// Writes the model's files (config.json and one .npy per parameter) into the existing
/// directory `dir`, without the atomic swap: for callers that build a larger directory.
void write_checkpoint_files(const std::string& dir, EncoderDecoder& model);

/// Reads the configuration of the checkpoint in `dir`, and checks it against the headers
/// of the tensors it implies (check_config_against_files) and against the number of
/// parameters they hold (check_parameter_count) before anyone builds a model of that size.
ModelConfig load_checkpoint_config(const std::string& dir);

/// Compares the sizes config.json gives with the shapes the .npy headers declare (vocab
/// sizes, d_model, d_ff, the number of layers); throws CheckpointError on a mismatch.
void check_config_against_files(const std::string& dir, const ModelConfig& config);

/// Loads every parameter of the checkpoint in `dir` into `model`, whose configuration
/// must be the checkpoint's.
void load_checkpoint_into(const std::string& dir, EncoderDecoder& model);

/// Builds a model from the checkpoint in `dir`.
EncoderDecoder load_checkpoint(const std::string& dir);

}  // namespace tfm
