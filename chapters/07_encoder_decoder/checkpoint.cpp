// checkpoint.cpp — a directory of .npy files plus config.json, saved atomically and
// loaded with every check.
#include "checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <vector>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm {

namespace fs = std::filesystem;

namespace {

const char* const kBuffers[] = {"src_embed.1.pe", "tgt_embed.1.pe"};

}  // namespace

//! [save checkpoint]
void write_checkpoint_files(const std::string& dir, EncoderDecoder& model) {
    write_parameter_files(dir, model.parameters());
    write_file_atomically(dir + "/config.json", model.config().to_json());
}

void save_checkpoint(const std::string& dir, EncoderDecoder& model) {
    replace_directory(dir, kModelCheckpointKind,
                      [&](const std::string& tmp) { write_checkpoint_files(tmp, model); });
}
//! [save checkpoint]

namespace {

// The shape a tensor's .npy header declares (checked against the file's size), or none
// if the file is missing. (A scalar's shape is empty too, and is not a missing file.)
std::optional<std::vector<std::size_t>> declared_shape(const std::string& dir,
                                                       const std::string& key) {
    const std::string path = dir + "/" + key + ".npy";
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) return std::nullopt;
    try {
        return read_npy_header(path).shape;
    } catch (const FileError& e) {
        throw CheckpointError(std::string("key '") + key + "': " + e.what());
    }
}

}  // namespace

//! [config against files]
void check_config_against_files(const std::string& dir, const ModelConfig& c) {
    // Building a model allocates what config.json asks for; before that, the headers of a
    // few tensors — read without their data, and checked against their files' sizes —
    // must agree with it, so a corrupt config cannot ask for more than the files hold.
    auto expect = [&](const std::string& key, std::vector<std::size_t> want) {
        const auto got = declared_shape(dir, key);
        if (!got) throw CheckpointError(dir + ": missing key '" + key + "'");
        if (*got != want) {
            throw CheckpointError(dir + "/config.json does not match the tensors: key '" + key +
                                  "' has shape " + shape_to_string(*got) +
                                  ", config.json implies " + shape_to_string(want));
        }
    };
    expect("src_embed.0.lut.weight", {c.src_vocab, c.d_model});
    if (!c.shared_embeddings) {
        expect("tgt_embed.0.lut.weight", {c.tgt_vocab, c.d_model});
        expect("generator.proj.weight", {c.tgt_vocab, c.d_model});
    }
    for (const char* stack : {"encoder", "decoder"}) {
        const std::string last = std::string(stack) + ".layers." + std::to_string(c.N - 1) + ".";
        expect(last + "feed_forward.w_1.weight", {c.d_ff, c.d_model});
        if (declared_shape(dir, std::string(stack) + ".layers." + std::to_string(c.N) +
                                    ".feed_forward.w_1.weight")) {
            throw CheckpointError(
                dir + "/config.json does not match the tensors: N = " + std::to_string(c.N) +
                " but the " + stack + " has a layer " + std::to_string(c.N));
        }
    }
}
//! [config against files]

ModelConfig load_checkpoint_config(const std::string& dir) {
    std::error_code ec;
    require_checkpoint_directory(dir);
    const std::string path = dir + "/config.json";
    if (!fs::exists(fs::symlink_status(path, ec))) {
        throw CheckpointError(path + ": missing (every checkpoint has a config.json)");
    }
    ModelConfig config;
    try {
        config = ModelConfig::from_json(read_file(path, 1 << 20), path);
    } catch (const FileError& e) {
        throw CheckpointError(e.what());
    }
    check_config_against_files(dir, config);
    // And every other tensor: together they must hold what config.json implies.
    std::vector<std::string> buffers;
    for (const char* b : kBuffers) buffers.push_back(std::string(b) + ".npy");
    check_parameter_count(dir, config.parameter_count(), buffers);
    return config;
}

//! [load checkpoint]
void load_checkpoint_into(const std::string& dir, EncoderDecoder& model) {
    std::vector<std::string> allowed = {"config.json"};
    for (const char* b : kBuffers) allowed.push_back(std::string(b) + ".npy");
    read_parameter_files(dir, model.parameters(), allowed);
    // The positional-encoding buffers are constants we compute ourselves; if present, they
    // must agree with our table (same d_model, same formula).
    for (const char* b : kBuffers) {
        const std::string path = dir + "/" + b + ".npy";
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(path, ec))) continue;
        xt::xarray<float> pe;
        try {
            pe = load_npy_array<float>(path);
        } catch (const FileError& e) {
            throw CheckpointError(std::string("buffer '") + b + "': " + e.what());
        }
        const auto& table = model.src_embed.position.table();
        // PyTorch stores it as [1, max_len, C]; we also accept [max_len, C]. Any other
        // leading size would make the comparison below read past our table.
        const std::size_t rank = pe.dimension();
        if ((rank != 2 && rank != 3) || (rank == 3 && pe.shape()[0] != 1) ||
            pe.shape()[rank - 1] != model.config().d_model ||
            pe.shape()[rank - 2] > table.shape()[0]) {
            throw CheckpointError(std::string("buffer '") + b + "': expected shape [1, ≤" +
                                  std::to_string(table.shape()[0]) + ", " +
                                  std::to_string(model.config().d_model) + "], got " +
                                  shape_to_string(pe.shape()));
        }
        for (std::size_t i = 0; i < pe.size(); ++i) {
            if (std::abs(pe.data()[i] - table.data()[i]) > 1e-3f) {
                throw CheckpointError(std::string("buffer '") + b +
                                      "' differs from the sinusoid table at element " +
                                      std::to_string(i));
            }
        }
    }
}
//! [load checkpoint]

EncoderDecoder load_checkpoint(const std::string& dir) {
    EncoderDecoder model(load_checkpoint_config(dir), 0);
    load_checkpoint_into(dir, model);
    return model;
}

}  // namespace tfm
