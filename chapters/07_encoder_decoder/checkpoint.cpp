// checkpoint.cpp — a directory of .npy files plus config.json, saved atomically and
// loaded with every check.
#include "checkpoint.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "00_tensors/npy.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm {

namespace {

const char* const kBuffers[] = {"src_embed.1.pe", "tgt_embed.1.pe"};

bool is_directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> list_directory(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) throw CheckpointError(dir + ": cannot open checkpoint directory: " + std::strerror(errno));
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    return names;
}

void remove_tree(const std::string& path) {
    if (!is_directory(path)) {
        ::unlink(path.c_str());
        return;
    }
    for (const std::string& name : list_directory(path)) remove_tree(path + "/" + name);
    ::rmdir(path.c_str());
}

template <class T>
T json_field(const nlohmann::json& j, const char* key, const std::string& source) {
    if (!j.contains(key)) throw CheckpointError(source + ": missing field '" + key + "'");
    try {
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw CheckpointError(source + ": field '" + key + "' has the wrong type (" + j.at(key).dump() + ")");
    }
}

}  // namespace

std::string config_to_json(const ModelConfig& c) {
    nlohmann::ordered_json j;
    j["src_vocab"] = c.src_vocab;
    j["tgt_vocab"] = c.tgt_vocab;
    j["N"] = c.N;
    j["d_model"] = c.d_model;
    j["d_ff"] = c.d_ff;
    j["h"] = c.h;
    j["dropout"] = c.dropout;
    return j.dump(2) + "\n";
}

ModelConfig config_from_json(const std::string& text, const std::string& source) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw CheckpointError(source + ": not valid JSON: " + e.what());
    }
    if (!j.is_object()) throw CheckpointError(source + ": expected a JSON object");
    ModelConfig c;
    auto count = [&](const char* key) {
        const auto v = json_field<std::int64_t>(j, key, source);
        if (v <= 0) throw CheckpointError(source + ": field '" + key + "' must be positive, got " + std::to_string(v));
        return static_cast<std::size_t>(v);
    };
    c.src_vocab = count("src_vocab");
    c.tgt_vocab = count("tgt_vocab");
    c.N = count("N");
    c.d_model = count("d_model");
    c.d_ff = count("d_ff");
    c.h = count("h");
    c.dropout = json_field<float>(j, "dropout", source);
    try {
        c.validate();
    } catch (const std::invalid_argument& e) {
        throw CheckpointError(source + ": " + e.what());
    }
    return c;
}

//! [save checkpoint]
void replace_directory(const std::string& dir, const std::function<void(const std::string&)>& fill) {
    // 1. Everything goes into a fresh temporary directory beside the target.
    const std::string tmp = dir + ".tmp." + std::to_string(::getpid());
    remove_tree(tmp);
    if (::mkdir(tmp.c_str(), 0755) != 0) {
        throw CheckpointError(dir + ": cannot create " + tmp + ": " + std::strerror(errno));
    }
    try {
        fill(tmp);
    } catch (...) {
        remove_tree(tmp);
        throw;
    }
    // 2. Swap it in: the old directory steps aside, the new one takes its name, the old
    //    one is deleted. At every moment a complete version exists under one of the names.
    const std::string old = dir + ".old." + std::to_string(::getpid());
    const bool had_old = is_directory(dir);
    if (had_old && ::rename(dir.c_str(), old.c_str()) != 0) {
        remove_tree(tmp);
        throw CheckpointError(dir + ": cannot move the previous checkpoint aside: " + std::strerror(errno));
    }
    if (::rename(tmp.c_str(), dir.c_str()) != 0) {
        const int err = errno;
        if (had_old) ::rename(old.c_str(), dir.c_str());
        remove_tree(tmp);
        throw CheckpointError(dir + ": cannot rename the new checkpoint into place: " + std::strerror(err));
    }
    if (had_old) remove_tree(old);
}

void write_checkpoint_files(const std::string& dir, EncoderDecoder& model) {
    for (const Parameter* p : model.parameters()) save_npy(dir + "/" + p->name + ".npy", p->value);
    write_file_atomically(dir + "/config.json", config_to_json(model.config()));
}

void save_checkpoint(const std::string& dir, EncoderDecoder& model) {
    replace_directory(dir, [&](const std::string& tmp) { write_checkpoint_files(tmp, model); });
}
//! [save checkpoint]

ModelConfig load_checkpoint_config(const std::string& dir) {
    if (!is_directory(dir)) throw CheckpointError(dir + ": no such checkpoint directory");
    const std::string path = dir + "/config.json";
    if (::access(path.c_str(), R_OK) != 0) throw CheckpointError(path + ": missing (every checkpoint has a config.json)");
    return config_from_json(read_file(path), path);
}

//! [load checkpoint]
void load_checkpoint_into(const std::string& dir, EncoderDecoder& model) {
    const ParameterList params = model.parameters();
    std::set<std::string> expected;
    for (const Parameter* p : params) expected.insert(p->name + ".npy");
    // Every file must be a known key, a PyTorch buffer, or config.json.
    for (const std::string& name : list_directory(dir)) {
        if (name == "config.json" || expected.count(name)) continue;
        bool buffer = false;
        for (const char* b : kBuffers) buffer = buffer || name == std::string(b) + ".npy";
        if (buffer) continue;
        throw CheckpointError(dir + ": unexpected key '" + name + "' (not a parameter of this model)");
    }
    for (Parameter* p : params) {
        const std::string path = dir + "/" + p->name + ".npy";
        if (::access(path.c_str(), F_OK) != 0) throw CheckpointError(dir + ": missing key '" + p->name + "'");
        NpyArray array;
        try {
            array = read_npy(path);
        } catch (const NpyError& e) {
            throw CheckpointError(std::string("key '") + p->name + "': " + e.what());
        }
        if (array.dtype != DType::Float32) {
            throw CheckpointError("key '" + p->name + "': expected dtype float32, got " + dtype_name(array.dtype));
        }
        const std::vector<std::size_t> want(p->value.shape().begin(), p->value.shape().end());
        if (array.shape != want) {
            throw CheckpointError("key '" + p->name + "': expected shape " + shape_to_string(want) +
                                  " (from config.json), got " + shape_to_string(array.shape));
        }
        std::memcpy(p->value.data(), array.data.data(), array.data.size());
    }
    // The positional-encoding buffers are constants we compute ourselves; if present, they
    // must agree with our table (same d_model, same formula).
    for (const char* b : kBuffers) {
        const std::string path = dir + "/" + b + ".npy";
        if (::access(path.c_str(), F_OK) != 0) continue;
        const xt::xarray<float> pe = load_npy_array<float>(path);
        const auto& table = model.src_embed.position.table();
        // PyTorch stores it as [1, max_len, C].
        const std::size_t rank = pe.dimension();
        if ((rank != 2 && rank != 3) || pe.shape()[rank - 1] != model.config().d_model ||
            pe.shape()[rank - 2] > table.shape()[0]) {
            throw CheckpointError(std::string("buffer '") + b + "': expected shape [1, ≤" +
                                  std::to_string(table.shape()[0]) + ", " + std::to_string(model.config().d_model) +
                                  "], got " + shape_to_string(pe.shape()));
        }
        for (std::size_t i = 0; i < pe.size(); ++i) {
            if (std::abs(pe.data()[i] - table.data()[i]) > 1e-3f) {
                throw CheckpointError(std::string("buffer '") + b + "' differs from the sinusoid table at element " +
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
