// copy_task.cpp — data, the training run with exact resume, and the copy check.
#include "copy_task.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "00_tensors/npy.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "08_training/loss.hpp"
#include "08_training/optimizer.hpp"
#include "08_training/train.hpp"

namespace tfm {

//! [data gen]
std::vector<Batch> copy_task_batches(Rng& rng, std::size_t vocab, std::size_t batch_size, std::size_t batches,
                                     std::size_t length) {
    std::vector<Batch> out;
    out.reserve(batches);
    for (std::size_t i = 0; i < batches; ++i) {
        xt::xtensor<std::int64_t, 2> data_BL = xt::xtensor<std::int64_t, 2>::from_shape({batch_size, length});
        for (auto& token : data_BL) token = 1 + std::int64_t(rng.below(std::uint32_t(vocab - 1)));  // 1..V−1
        for (std::size_t b = 0; b < batch_size; ++b) data_BL(b, 0) = kCopyStart;
        out.push_back(make_batch(data_BL, data_BL, kCopyPad));  // the target is the source
    }
    return out;
}
//! [data gen]

namespace {

// The run's state beside the model: the optimiser's moments and where the run stands.
void save_training_state(const std::string& dir, EncoderDecoder& model, Adam& adam, std::size_t epoch,
                         const CopyTaskResult& result) {
    replace_directory(dir, [&](const std::string& tmp) {
        const std::string model_dir = tmp + "/model", adam_dir = tmp + "/adam";
        ::mkdir(model_dir.c_str(), 0755);
        ::mkdir(adam_dir.c_str(), 0755);
        write_checkpoint_files(model_dir, model);
        const ParameterList params = model.parameters();
        for (std::size_t i = 0; i < params.size(); ++i) {
            save_npy(adam_dir + "/m." + params[i]->name + ".npy", adam.first_moments()[i]);
            save_npy(adam_dir + "/v." + params[i]->name + ".npy", adam.second_moments()[i]);
        }
        nlohmann::json state;
        state["epoch"] = epoch;
        state["adam_steps"] = adam.steps();
        state["model_rng"] = model.rng().state();
        state["train_loss"] = result.train_loss;
        state["eval_loss"] = result.eval_loss;
        write_file_atomically(tmp + "/state.json", state.dump(2) + "\n");
    });
}

std::size_t load_training_state(const std::string& dir, EncoderDecoder& model, Adam& adam, CopyTaskResult& result) {
    const std::string path = dir + "/state.json";
    nlohmann::json state;
    try {
        state = nlohmann::json::parse(read_file(path));
        load_checkpoint_into(dir + "/model", model);
        const ParameterList params = model.parameters();
        for (std::size_t i = 0; i < params.size(); ++i) {
            adam.first_moments()[i] = load_npy_array<float>(dir + "/adam/m." + params[i]->name + ".npy");
            adam.second_moments()[i] = load_npy_array<float>(dir + "/adam/v." + params[i]->name + ".npy");
            if (adam.first_moments()[i].shape() != params[i]->value.shape() ||
                adam.second_moments()[i].shape() != params[i]->value.shape()) {
                throw CheckpointError("optimiser state of '" + params[i]->name + "' has the wrong shape");
            }
        }
        adam.set_steps(state.at("adam_steps").get<std::size_t>());
        model.rng().set_state(state.at("model_rng").get<std::string>());
        result.train_loss = state.at("train_loss").get<std::vector<double>>();
        result.eval_loss = state.at("eval_loss").get<std::vector<double>>();
        return state.at("epoch").get<std::size_t>();
    } catch (const nlohmann::json::exception& e) {
        throw CheckpointError(path + ": malformed training state: " + e.what());
    } catch (const std::exception& e) {
        throw CheckpointError(dir + ": cannot resume: " + e.what());
    }
}

}  // namespace

//! [train copy task]
CopyTaskResult train_copy_task(const CopyTaskOptions& o, EncoderDecoder& model) {
    const auto start = std::chrono::steady_clock::now();
    CopyTaskResult result;
    LabelSmoothing criterion(o.model.tgt_vocab, kCopyPad, 0.0f);
    Adam adam(model.parameters());  // β1 0.9, β2 0.98, ε 1e-9
    TrainOptions train_options;
    train_options.log_every = o.log_every;
    Trainer trainer(model, criterion, adam, [&](std::size_t step) {
        return o.lr_scale * noam_rate(step, o.noam_size ? o.noam_size : o.model.d_model, o.lr_factor, o.warmup);
    }, train_options);

    std::size_t done = 0;
    if (o.resume) {
        if (o.checkpoint_dir.empty()) throw std::invalid_argument("--resume needs --checkpoint DIR");
        done = load_training_state(o.checkpoint_dir, model, adam, result);
        result.first_epoch = done + 1;
    }
    for (std::size_t epoch = done + 1; epoch <= o.epochs; ++epoch) {
        if (o.before_epoch) o.before_epoch(epoch, model);
        // Each epoch's data comes from its own seeded generator, so a resumed run sees the
        // very batches the uninterrupted run would have seen.
        Rng data_rng(o.seed * 1000003 + epoch);
        const auto batches = copy_task_batches(data_rng, o.model.src_vocab, o.batch_size, o.batches_per_epoch, o.length);
        const auto valid = copy_task_batches(data_rng, o.model.src_vocab, o.batch_size, 5, o.length);
        const EpochResult tr = trainer.run_epoch(batches, true, epoch);  // throws on NaN: no save
        const EpochResult ev = trainer.run_epoch(valid, false, epoch);
        result.train_loss.push_back(tr.loss);
        result.eval_loss.push_back(ev.loss);
        std::printf("epoch %2zu | train loss %.4f | validation loss %.4f | %.0f tokens/s | %.1f s\n", epoch, tr.loss,
                    ev.loss, double(tr.tokens) / tr.seconds, tr.seconds);
        std::fflush(stdout);
        if (!o.checkpoint_dir.empty()) save_training_state(o.checkpoint_dir, model, adam, epoch, result);
    }
    model.train(false);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}
//! [train copy task]

bool copies_exactly(EncoderDecoder& model, const xt::xtensor<std::int64_t, 2>& src_BL) {
    model.train(false);
    const auto ys = greedy_decode(model, src_BL, padding_mask(src_BL, kCopyPad), src_BL.shape()[1], kCopyStart);
    return ys == src_BL;
}

}  // namespace tfm
