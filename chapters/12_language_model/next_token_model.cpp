// next_token_model.cpp — a model's files: written, and checked before one is built.
#include "next_token_model.hpp"

#include <filesystem>

#include "00_tensors/files.hpp"
#include "00_tensors/shapes.hpp"
#include "07_encoder_decoder/parameter_files.hpp"

namespace tfm {

void write_model_files(const std::string& dir, NextTokenModel& model, DType storage) {
    const ModelFiles files = model.files();
    write_parameter_files(dir, files.parameters, storage);
    files.write_config(dir);
}

std::string read_config_text(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw CheckpointError(dir + ": no such checkpoint directory");
    try {
        return read_file(dir + "/config.json", 1 << 20);
    } catch (const FileError& e) {
        throw CheckpointError(std::string(e.what()) + " (every checkpoint has a config.json)");
    }
}

void check_stored_shape(const std::string& dir, const std::string& key,
                        const std::vector<std::size_t>& expected) {
    std::vector<std::size_t> shape;
    try {
        shape = read_npy_header(dir + "/" + key + ".npy").shape;
    } catch (const FileError& e) {
        throw CheckpointError("key '" + key + "': " + e.what());
    }
    if (shape != expected) {
        throw CheckpointError(dir + "/config.json does not match the tensors: " + key +
                              " has shape " + shape_to_string(shape));
    }
}

}  // namespace tfm
