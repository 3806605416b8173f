// training_state.cpp — saving a run whole, and loading it with every check.
#include "training_state.hpp"

#include <cmath>
#include <filesystem>
#include <iostream>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "07_encoder_decoder/json_fields.hpp"

namespace tfm {

namespace fs = std::filesystem;

namespace {

// Bounds on state.json's counters: far beyond any run, and small enough to be exact in
// a double (JSON numbers are doubles to most tools).
constexpr std::uint64_t kMaxEpochs = 1000000;
constexpr std::uint64_t kMaxSteps = std::uint64_t(1) << 40;

std::vector<double> loss_list(const nlohmann::json& j, const char* key, std::size_t epochs,
                              const std::string& source) {
    const nlohmann::json& v = json_require(j, key, source);
    if (!v.is_array())
        throw JsonFieldError(source + ": field '" + key + "' must be a list of numbers");
    if (v.size() != epochs) {
        throw JsonFieldError(source + ": field '" + key +
                             "' must hold one loss per completed epoch: expected " +
                             std::to_string(epochs) + ", got " + std::to_string(v.size()));
    }
    std::vector<double> out;
    for (const nlohmann::json& x : v) {
        if (!x.is_number() || !std::isfinite(x.get<double>())) {
            throw JsonFieldError(source + ": field '" + key + "' holds " + x.dump() +
                                 ", not a finite number");
        }
        out.push_back(x.get<double>());
    }
    return out;
}

xt::xarray<float> load_moment(const std::string& path, const Parameter& p) {
    xt::xarray<float> moment = load_npy_array<float>(path);
    if (moment.shape() != p.value.shape()) {
        throw CheckpointError(path + ": expected shape " + shape_to_string(p.value.shape()) +
                              " (the shape of '" + p.name + "'), got " +
                              shape_to_string(moment.shape()));
    }
    for (float x : moment) {
        if (!std::isfinite(x))
            throw CheckpointError(path + ": holds a value that is not a finite number");
    }
    return moment;
}

}  // namespace

SavedState parse_training_state(const std::string& text, const std::string& path) {
    SavedState saved;
    RunState& state = saved.run;
    try {
        const nlohmann::json j = json_parse(text, path);
        state.epoch = json_integer(j, "epoch", path, 1, kMaxEpochs);
        saved.adam_steps = json_integer(j, "adam_steps", path, 0, kMaxSteps);
        saved.model_rng = json_string(j, "model_rng", path);
        state.train_loss = loss_list(j, "train_loss", state.epoch, path);
        state.eval_loss = loss_list(j, "eval_loss", state.epoch, path);
        if (j.contains("extra")) {
            if (!j.at("extra").is_object())
                throw JsonFieldError(path + ": field 'extra' must be an object");
            state.extra = j.at("extra");
        }
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    }
    return saved;
}

ModelFiles model_files(EncoderDecoder& model) {
    ModelFiles files;
    files.parameters = model.parameters();
    files.rng = &model.rng();
    files.write = [&model](const std::string& dir) { write_checkpoint_files(dir, model); };
    files.read = [&model](const std::string& dir) {
        // The saved configuration must be the one we are resuming with.
        const ModelConfig saved = load_checkpoint_config(dir);
        if (saved != model.config()) {
            const nlohmann::json was = nlohmann::json::parse(config_to_json(saved));
            const nlohmann::json now = nlohmann::json::parse(config_to_json(model.config()));
            throw CheckpointError(dir + "/config.json: the run was saved with the model " +
                                  was.dump() + " but is being resumed with " + now.dump());
        }
        load_checkpoint_into(dir, model);
    };
    return files;
}

void save_training_run(const std::string& dir, EncoderDecoder& model, Adam& adam,
                       const RunState& state, const std::function<void(const std::string&)>& more) {
    save_training_run(dir, model_files(model), adam, state, more);
}

RunState load_training_run(const std::string& dir, EncoderDecoder& model, Adam& adam) {
    return load_training_run(dir, model_files(model), adam);
}

//! [save training run]
void save_training_run(const std::string& dir, const ModelFiles& model, Adam& adam,
                       const RunState& state, const std::function<void(const std::string&)>& more) {
    replace_directory(dir, kTrainingRunKind, [&](const std::string& tmp) {
        const std::string model_dir = tmp + "/model", adam_dir = tmp + "/adam";
        fs::create_directory(model_dir);
        fs::create_directory(adam_dir);
        model.write(model_dir);
        const ParameterList& params = model.parameters;
        for (std::size_t i = 0; i < params.size(); ++i) {
            save_npy(adam_dir + "/m." + params[i]->name + ".npy", adam.first_moments()[i]);
            save_npy(adam_dir + "/v." + params[i]->name + ".npy", adam.second_moments()[i]);
        }
        nlohmann::json j;
        j["epoch"] = state.epoch;
        j["adam_steps"] = adam.steps();
        j["model_rng"] = model.rng->state();
        j["train_loss"] = state.train_loss;
        j["eval_loss"] = state.eval_loss;
        j["extra"] = state.extra;
        write_file_atomically(tmp + "/state.json", j.dump(2) + "\n");
        if (more) more(tmp);
    });
}
//! [save training run]

RunState load_training_run(const std::string& dir, const ModelFiles& model, Adam& adam) {
    const std::string recovered = recover_directory(dir);
    if (!recovered.empty()) std::cerr << "note: " << recovered << "\n";
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw CheckpointError(dir + ": no training run here to resume");
    const std::string path = dir + "/state.json";
    SavedState saved;
    try {
        saved = parse_training_state(read_file(path, 64 << 20), path);
    } catch (const FileError& e) {
        throw CheckpointError(e.what());
    }
    RunState& state = saved.run;
    const std::uint64_t adam_steps = saved.adam_steps;
    const std::string& rng_state = saved.model_rng;
    model.read(dir + "/model");
    const ParameterList& params = model.parameters;
    try {
        for (std::size_t i = 0; i < params.size(); ++i) {
            adam.first_moments()[i] =
                load_moment(dir + "/adam/m." + params[i]->name + ".npy", *params[i]);
            adam.second_moments()[i] =
                load_moment(dir + "/adam/v." + params[i]->name + ".npy", *params[i]);
        }
    } catch (const FileError& e) {
        throw CheckpointError(std::string("optimiser state: ") + e.what());
    }
    adam.set_steps(std::size_t(adam_steps));
    try {
        model.rng->set_state(rng_state);
    } catch (const std::invalid_argument&) {
        throw CheckpointError(path + ": field 'model_rng' is not a generator state");
    }
    return state;
}

}  // namespace tfm
