// parameter_files.cpp — one .npy per parameter, written and read with every check.
#include "parameter_files.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <set>

#include "00_tensors/files.hpp"

namespace tfm {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> list_directory(const std::string& dir) {
    std::error_code ec;
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
        names.push_back(e.path().filename().string());
    if (ec) throw CheckpointError(dir + ": cannot list the checkpoint directory: " + ec.message());
    return names;
}

}  // namespace

void require_checkpoint_directory(const std::string& dir) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return;
    if (fs::exists(dir, ec))
        throw CheckpointError(dir + ": not a directory (a checkpoint is a directory)");
    const std::string copy = interrupted_save_of(dir);
    if (copy.empty()) throw CheckpointError(dir + ": no such checkpoint directory");
    // The next save into `dir` puts the copy back too: for a training run, --resume.
    const bool is_run = is_training_run_kind(directory_kind(copy));
    throw CheckpointError(dir + ": no such checkpoint directory, but " +
                          fs::path(copy).filename().string() +
                          " beside it is the complete copy an interrupted save left: rename it "
                          "to " +
                          dir +
                          (is_run ? " (training with --resume does this itself)"
                                  : " (saving to it again does this itself)"));
}

void write_parameter_files(const std::string& dir, const ParameterList& params, DType storage) {
    if (storage != DType::Float32 && storage != DType::Float16)
        throw std::invalid_argument(
            "write_parameter_files: weights are stored as float32 or float16");
    for (const Parameter* p : params) {
        const std::string path = dir + "/" + p->name + ".npy";
        if (storage == DType::Float32) {
            save_npy(path, p->value);
        } else {
            const std::vector<std::size_t> shape(p->value.shape().begin(), p->value.shape().end());
            write_file_atomically(path, format_npy_half(shape, p->value.data(), p->value.size(),
                                                        "key '" + p->name + "'"));
        }
    }
}

void check_parameter_count(const std::string& dir, std::size_t expected,
                           const std::vector<std::string>& not_parameters) {
    std::size_t declared = 0;
    for (const std::string& name : list_directory(dir)) {
        if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) continue;
        if (std::find(not_parameters.begin(), not_parameters.end(), name) != not_parameters.end())
            continue;
        std::vector<std::size_t> shape;
        try {
            shape = read_npy_header(dir + "/" + name).shape;
        } catch (const FileError& e) {
            throw CheckpointError(std::string("key '") + name.substr(0, name.size() - 4) +
                                  "': " + e.what());
        }
        std::size_t count = 1;
        for (std::size_t d : shape) count *= d;  // no overflow: the file holds them all
        declared += count;
    }
    // What matters is memory the files do not justify: a config.json asking for more than
    // kParameterSlack numbers beyond what they hold. A smaller gap (a missing tensor, a
    // wrong shape) and any surplus (an extra file) are named key by key when the weights
    // are read (read_parameter_files).
    if (expected > declared && expected - declared > kParameterSlack) {
        throw CheckpointError(dir + "/config.json implies " + std::to_string(expected) +
                              " parameters, but the .npy files hold " + std::to_string(declared) +
                              " (a tensor is missing, or smaller than config.json says)");
    }
}

void read_parameter_files(const std::string& dir, const ParameterList& params,
                          const std::vector<std::string>& also_allowed) {
    std::set<std::string> expected;
    for (const Parameter* p : params) expected.insert(p->name + ".npy");
    // Every file must be a known key, or one of the files the caller allows.
    for (const std::string& name : list_directory(dir)) {
        if (name == kDirectoryMarker || expected.count(name)) continue;
        if (std::find(also_allowed.begin(), also_allowed.end(), name) != also_allowed.end())
            continue;
        throw CheckpointError(dir + ": unexpected key '" + name +
                              "' (not a parameter of this model)");
    }
    for (Parameter* p : params) {
        const std::string path = dir + "/" + p->name + ".npy";
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(path, ec)))
            throw CheckpointError(dir + ": missing key '" + p->name + "'");
        NpyArray array;
        try {
            array = read_npy(path);
        } catch (const FileError& e) {
            throw CheckpointError(std::string("key '") + p->name + "': " + e.what());
        }
        if (array.dtype != DType::Float32 && array.dtype != DType::Float16) {
            throw CheckpointError("key '" + p->name + "': expected dtype float32 or float16, got " +
                                  dtype_name(array.dtype));
        }
        const std::vector<std::size_t> want(p->value.shape().begin(), p->value.shape().end());
        if (array.shape != want) {
            throw CheckpointError("key '" + p->name + "': expected shape " + shape_to_string(want) +
                                  " (from config.json), got " + shape_to_string(array.shape));
        }
        if (array.dtype == DType::Float16) {
            widen_halves(array.data.data(), p->value.size(), p->value.data());  // exact
        } else {
            std::memcpy(p->value.data(), array.data.data(), array.data.size());
        }
        // A NaN or infinite weight would only show up later as NaN log-probabilities.
        for (std::size_t i = 0; i < p->value.size(); ++i) {
            if (!std::isfinite(p->value.data()[i])) {
                throw CheckpointError("key '" + p->name + "': element " + std::to_string(i) +
                                      " is not a finite number");
            }
        }
    }
}

}  // namespace tfm
