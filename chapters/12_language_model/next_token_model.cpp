// next_token_model.cpp — the key/value caches' common state, and a model's files: written,
// and checked before one is built.
#include "next_token_model.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include <xtensor/xbuilder.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/shapes.hpp"
#include "07_encoder_decoder/parameter_files.hpp"

namespace tfm {

LayerKVCache::LayerKVCache(std::string name, std::size_t layers, std::size_t rows,
                           std::size_t heads, std::size_t capacity, std::size_t head_size)
    : name_(std::move(name)), rows_(rows), capacity_(capacity) {
    for (std::size_t l = 0; l < layers; ++l) {
        k_.push_back(xt::zeros<float>({rows, heads, capacity, head_size}));
        v_.push_back(xt::zeros<float>({rows, heads, capacity, head_size}));
    }
}

std::size_t LayerKVCache::bytes() const {
    std::size_t floats = 0;
    for (std::size_t l = 0; l < k_.size(); ++l) floats += k_[l].size() + v_[l].size();
    return floats * sizeof(float);
}

xt::xtensor<std::int64_t, 2> LayerKVCache::step_ids(
    const std::vector<std::int64_t>& tokens_R) const {
    if (tokens_R.size() != rows_) {
        throw std::invalid_argument(name_ + ": one token per row (" + std::to_string(rows_) +
                                    "), got " + std::to_string(tokens_R.size()));
    }
    if (length_ >= capacity_) {
        throw std::length_error(name_ + ": position " + std::to_string(length_) +
                                " is past its room for " + std::to_string(capacity_) +
                                " positions");
    }
    auto ids_R1 = xt::xtensor<std::int64_t, 2>::from_shape({rows_, std::size_t(1)});
    std::copy(tokens_R.begin(), tokens_R.end(), ids_R1.begin());
    return ids_R1;
}

void write_model_files(const std::string& dir, NextTokenModel& model, DType storage) {
    const ModelFiles files = model.files();
    write_parameter_files(dir, files.parameters, storage);
    files.write_config(dir);
}

std::string read_config_text(const std::string& dir) {
    require_checkpoint_directory(dir);
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
