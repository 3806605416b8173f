// translator.cpp — greedy translation, the translator's files, a run's snapshots, averaging.
#include "translator.hpp"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/text_files.hpp"
#include "03_attention/masks.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "07_encoder_decoder/json_fields.hpp"

namespace tfm {

namespace fs = std::filesystem;

//! [greedy translate]
std::vector<std::vector<std::int64_t>> greedy_translate(
    EncoderDecoder& model, const std::vector<std::vector<std::int64_t>>& sources,
    std::size_t batch_tokens, std::size_t extra) {
    model.train(false);
    const std::size_t positions = model.tgt_embed.position.max_len();
    std::vector<std::vector<std::int64_t>> results(sources.size());
    // Sentences of similar length decode together (batching.hpp).
    for (const SourceBatch& batch : length_sorted_batches(sources, batch_tokens)) {
        const xt::xtensor<std::int64_t, 2>& src_BM = batch.src_BM;
        const std::size_t B = src_BM.shape()[0], M = src_BM.shape()[1];
        if (M > positions) {
            throw std::length_error("a sentence of " + std::to_string(M - 2) +
                                    " tokens is longer than the model's " +
                                    std::to_string(positions - 2) + " positions allow");
        }
        // Each sentence may write at most its source length + `extra` tokens (</s> included).
        std::vector<std::size_t> limit(B);
        for (std::size_t b = 0; b < B; ++b)
            limit[b] = std::min(batch.lengths[b] + extra, positions - 1);
        const std::size_t max_len = 1 + *std::max_element(limit.begin(), limit.end());
        const xt::xtensor<bool, 3> src_mask_B1M = padding_mask(src_BM, kPad);
        const Tensor<3> memory_BMC = model.encode(src_BM, src_mask_B1M);
        // ys grows by one column per step; a sentence is done once it has written </s>.
        xt::xtensor<std::int64_t, 2> ys_BL = xt::xtensor<std::int64_t, 2>::from_shape({B, max_len});
        ys_BL.fill(kPad);
        xt::view(ys_BL, xt::all(), 0) = kBos;
        std::vector<bool> done(B, false);
        std::size_t open = B, length = 1;
        while (open > 0) {
            const xt::xtensor<std::int64_t, 2> prefix_BL =
                xt::view(ys_BL, xt::all(), xt::range(0, length));
            const Tensor<3> out_BLC =
                model.decode(memory_BMC, src_mask_B1M, prefix_BL, subsequent_mask(length));
            const Tensor<3> last_B1C =
                xt::view(out_BLC, xt::all(), xt::range(length - 1, length), xt::all());
            const Tensor<3> logp_B1V = model.generator.forward(last_B1C);
            const std::size_t V = logp_B1V.shape()[2];
            for (std::size_t b = 0; b < B; ++b) {
                if (done[b])
                    continue;  // it stays in the batch (chapter 11 removes it), its output is
                               // ignored
                const float* row = &logp_B1V(b, 0, 0);
                const std::int64_t best = std::int64_t(std::max_element(row, row + V) - row);
                ys_BL(b, length) = best;
                if (best == kEos || length == limit[b]) {
                    done[b] = true;
                    --open;
                }
            }
            ++length;
        }
        for (std::size_t b = 0; b < B; ++b) {
            std::vector<std::int64_t>& out = results[batch.sentences[b]];
            for (std::size_t t = 1; t <= limit[b] && ys_BL(b, t) != kEos; ++t)
                out.push_back(ys_BL(b, t));
        }
    }
    return results;
}
//! [greedy translate]

std::vector<std::vector<std::int64_t>> Translator::encode(
    const std::vector<std::string>& sentences) const {
    const std::size_t positions = model.src_embed.position.max_len();
    std::vector<std::vector<std::int64_t>> sources;
    sources.reserve(sentences.size());
    for (const std::string& s : sentences) {
        sources.push_back(codecs.src->encode(s));
        if (sources.back().size() + 2 > positions) {
            throw std::length_error("sentence " + std::to_string(sources.size()) + ": " +
                                    std::to_string(sources.back().size()) +
                                    " tokens and <s> and </s>, more than the model's " +
                                    std::to_string(positions) + " positions");
        }
    }
    return sources;
}

std::vector<std::string> Translator::translate(const std::vector<std::string>& sentences,
                                               std::size_t batch_tokens) {
    const std::vector<std::vector<std::int64_t>> sources = encode(sentences);
    std::vector<std::string> out;
    for (const auto& ids : greedy_translate(model, sources, batch_tokens))
        out.push_back(codecs.tgt->decode(ids));
    return out;
}

// ---- translation.json -----------------------------------------------------------------------

namespace {

struct Setup {
    bool subword = false;
    std::size_t max_len = 0;
};

Setup read_setup(const std::string& dir) {
    const std::string path = dir + "/translation.json";
    Setup s;
    try {
        const nlohmann::json j = json_parse(read_file(path, 1 << 20), path);
        const std::string tokenization = json_string(j, "tokenization", path);
        if (tokenization != "word" && tokenization != "subword") {
            throw JsonFieldError(path +
                                 ": field 'tokenization' must be \"word\" or \"subword\", got \"" +
                                 tokenization + "\"");
        }
        s.subword = tokenization == "subword";
        s.max_len = json_integer(j, "max_len", path, 3, 1 << 20);
        // As strict as config.json, but for "training", which runs of an earlier version
        // wrote here (it is now in settings.json) and which a translator does not need.
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key() != "tokenization" && it.key() != "max_len" && it.key() != "training")
                throw JsonFieldError(path + ": unknown field '" + printable(it.key()) + "'");
        }
    } catch (const JsonFieldError& e) {
        throw CheckpointError(e.what());
    } catch (const FileError& e) {
        throw CheckpointError(std::string(e.what()) +
                              " (a translation checkpoint has a translation.json)");
    }
    return s;
}

}  // namespace

void check_vocabularies(const ModelConfig& c, const Codecs& codecs, const std::string& dir) {
    if (c.src_vocab != codecs.src->vocab_size() || c.tgt_vocab != codecs.tgt->vocab_size()) {
        throw CheckpointError(dir + ": the model's vocabularies (" + std::to_string(c.src_vocab) +
                              ", " + std::to_string(c.tgt_vocab) + ") do not match vocab/ (" +
                              std::to_string(codecs.src->vocab_size()) + ", " +
                              std::to_string(codecs.tgt->vocab_size()) + ")");
    }
}

void write_translator_files(const std::string& dir, const Codecs& codecs, std::size_t max_len) {
    fs::create_directory(dir + "/vocab");
    save_codecs(dir + "/vocab", codecs);
    nlohmann::ordered_json j;
    j["tokenization"] = codecs.subword ? "subword" : "word";
    j["max_len"] = max_len;
    write_file_atomically(dir + "/translation.json", j.dump(2) + "\n");
}

Translator load_translator(const std::string& dir) {
    std::error_code ec;
    require_checkpoint_directory(dir);
    const Setup setup = read_setup(dir);
    if (!fs::is_directory(dir + "/vocab", ec)) {
        throw CheckpointError(
            dir + ": the checkpoint has no vocab/ directory: it cannot turn text into ids");
    }
    Codecs codecs;
    try {
        codecs = load_codecs(dir + "/vocab", setup.subword);
    } catch (const DataError& e) {
        throw CheckpointError(e.what());
    }
    EncoderDecoder model = load_checkpoint(model_directory(dir));
    check_vocabularies(model.config(), codecs, dir);
    return Translator{std::move(model), codecs, setup.max_len};
}

void save_translation_model(const std::string& dir, EncoderDecoder& model, const Codecs& codecs,
                            std::size_t max_len, DType storage) {
    replace_directory(dir, kTranslationModelKind, [&](const std::string& tmp) {
        const std::string model_dir = model_directory(tmp);
        fs::create_directory(model_dir);
        write_parameter_files(model_dir, model.parameters(), storage);
        write_file_atomically(model_dir + "/config.json", model.config().to_json());
        write_translator_files(tmp, codecs, max_len);
    });
}

//! [average]
EncoderDecoder average_checkpoints(const std::vector<std::string>& model_dirs) {
    if (model_dirs.empty()) throw std::invalid_argument("average: no checkpoints given");
    EncoderDecoder mean = load_checkpoint(model_dirs[0]);
    const ParameterList params = mean.parameters();
    // Sum in double, so that the order of the checkpoints does not change the result.
    std::vector<xt::xarray<double>> sums;
    for (const Parameter* p : params) sums.push_back(xt::cast<double>(p->value));
    for (std::size_t k = 1; k < model_dirs.size(); ++k) {
        const ModelConfig config = load_checkpoint_config(model_dirs[k]);
        if (config != mean.config()) {
            throw CheckpointError(model_dirs[k] + ": a different model configuration from " +
                                  model_dirs[0] +
                                  "; only checkpoints of one model can be averaged");
        }
        EncoderDecoder other(config, 0);
        load_checkpoint_into(model_dirs[k], other);
        const ParameterList q = other.parameters();
        for (std::size_t i = 0; i < params.size(); ++i) sums[i] += xt::cast<double>(q[i]->value);
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        params[i]->value = xt::cast<float>(sums[i] / double(model_dirs.size()));
    }
    return mean;
}
//! [average]

std::vector<std::string> run_snapshots(const std::string& run_dir) {
    // Ordered by the epoch's number, not by name: epoch_1000 comes after epoch_999.
    std::vector<std::pair<std::size_t, std::string>> numbered;
    std::error_code ec;
    const fs::path root = fs::path(run_dir) / "snapshots";
    if (!fs::is_directory(root, ec)) return {};
    for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
        const std::string name = e.path().filename().string();
        const std::string digits = name.rfind("epoch_", 0) == 0 ? name.substr(6) : "";
        if (!e.is_directory() || digits.empty() || digits.size() > 9 ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        numbered.emplace_back(std::stoul(digits), e.path().string());
    }
    std::sort(numbered.begin(), numbered.end());
    std::vector<std::string> dirs;
    for (const auto& [epoch, dir] : numbered) dirs.push_back(dir);
    return dirs;
}

}  // namespace tfm
