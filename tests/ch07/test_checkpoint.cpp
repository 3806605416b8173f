// Chapter 07: checkpoints — exact round trip, atomic replacement, PyTorch buffers, and
// every malformed case as a clear error naming the key.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

#include <filesystem>
#include <limits>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "00_tensors/npy.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "07_encoder_decoder/config_flags.hpp"
#include "fuzz_helpers.hpp"
#include "test_helpers.hpp"

using namespace tfm;
namespace fs = std::filesystem;

namespace {
ModelConfig tiny() {
    ModelConfig c = small_config(7, 1, 8, 16, 2);
    c.tgt_vocab = 9;   // different vocabularies, so a swapped pair of files is caught
    c.dropout = 0.1f;  // the paper's, as a real checkpoint has
    return c;
}
std::size_t entries(const std::string& dir) {
    std::size_t n = 0;
    if (DIR* d = ::opendir(dir.c_str())) {
        while (const dirent* e = ::readdir(d))
            n += std::string(e->d_name) != "." && std::string(e->d_name) != "..";
        ::closedir(d);
    }
    return n;
}
void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}
}  // namespace

TEST_CASE("a checkpoint round-trips exactly, and a save replaces the old one whole") {
    const ScratchDirectory scratch("ckpt");
    const std::string root = scratch.path(), dir = root + "/ckpt";
    EncoderDecoder a(tiny(), 1);
    save_checkpoint(dir, a);
    CHECK(entries(dir) ==
          a.parameters().size() + 2);  // one .npy per parameter, config.json, the marker
    EncoderDecoder b = load_checkpoint(dir);
    const ParameterList pa = a.parameters(), pb = b.parameters();
    REQUIRE(pa.size() == pb.size());
    for (std::size_t i = 0; i < pa.size(); ++i) {
        INFO(pa[i]->name);
        CHECK(pa[i]->name == pb[i]->name);
        CHECK((pa[i]->value == pb[i]->value));
    }
    // Saving another model over it: the directory holds the new one, and nothing else is
    // left beside it (no temporary, no old copy).
    EncoderDecoder c(tiny(), 2);
    save_checkpoint(dir, c);
    EncoderDecoder d = load_checkpoint(dir);
    CHECK((d.parameters()[0]->value == c.parameters()[0]->value));
    CHECK(entries(root) == 1);
}

TEST_CASE("weights stored as float16 load as the nearest halves of the float32 weights") {
    const ScratchDirectory scratch("ckpt");
    EncoderDecoder a(tiny(), 1);
    const std::string dir = scratch / "half";
    fs::create_directory(dir);
    write_parameter_files(dir, a.parameters(), DType::Float16);
    EncoderDecoder b(tiny(), 2);
    read_parameter_files(dir, b.parameters());
    const ParameterList pa = a.parameters(), pb = b.parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        INFO(pa[i]->name);
        CHECK(read_npy_header(dir + "/" + pa[i]->name + ".npy").dtype == DType::Float16);
        for (std::size_t k = 0; k < pa[i]->value.size(); ++k) {
            const float x = pa[i]->value.data()[k];
            REQUIRE(pb[i]->value.data()[k] == half_to_float(float_to_half(x)));
        }
    }
    // Half the bytes of float32, give or take the headers.
    std::uintmax_t half_bytes = 0;
    for (const auto& e : fs::directory_iterator(dir)) half_bytes += fs::file_size(e.path());
    CHECK(half_bytes <= count_scalars(pa) * 2 + pa.size() * 128);
}

TEST_CASE("the positional-encoding buffers of a PyTorch state_dict are accepted and checked") {
    const ScratchDirectory scratch("ckpt");
    const std::string root = scratch.path(), dir = root + "/ckpt";
    EncoderDecoder model(tiny(), 1);
    save_checkpoint(dir, model);
    Tensor<3> pe = xt::zeros<float>({1, 64, 8});
    for (std::size_t l = 0; l < 64; ++l)
        for (std::size_t c = 0; c < 8; ++c) pe(0, l, c) = model.src_embed.position.table()(l, c);
    save_npy(dir + "/src_embed.1.pe.npy", pe);
    CHECK_NOTHROW(load_checkpoint(dir));
    pe(0, 3, 2) += 0.5f;
    save_npy(dir + "/tgt_embed.1.pe.npy", pe);
    CHECK_THROWS_WITH(load_checkpoint(dir),
                      Catch::Contains("buffer 'tgt_embed.1.pe' differs from the sinusoid table"));
    // A leading size other than 1 would make the comparison read past the table.
    save_npy(dir + "/tgt_embed.1.pe.npy", Tensor<3>(xt::zeros<float>({3, 5000, 8})));
    CHECK_THROWS_WITH(load_checkpoint(dir),
                      "buffer 'tgt_embed.1.pe': expected shape [1, ≤5000, 8], got [3, 5000, 8]");
}

TEST_CASE("a save never replaces a directory that is not a checkpoint") {
    const ScratchDirectory scratch("ckpt");
    const std::string dir = scratch / "mine";
    fs::create_directory(dir);
    write_text(dir + "/thesis.tex", "years of work");
    EncoderDecoder model(tiny(), 1);
    CHECK_THROWS_WITH(save_checkpoint(dir, model), Catch::Contains("did not write"));
    CHECK(read_file(dir + "/thesis.tex") == "years of work");
    // A training run is ours, but not a model checkpoint: refused as well.
    replace_directory(scratch / "run", "training run", [](const std::string&) {});
    CHECK_THROWS_WITH(save_checkpoint(scratch / "run", model),
                      Catch::Contains("holds a training run"));
}

TEST_CASE("malformed checkpoints are errors that name the key and what was expected") {
    const ScratchDirectory scratch("ckpt");
    const std::string root = scratch.path(), dir = root + "/ckpt";
    EncoderDecoder model(tiny(), 1);
    save_checkpoint(dir, model);
    const std::string key = dir + "/encoder.layers.0.self_attn.linears.2.weight.npy";

    SECTION("no such directory") {
        CHECK_THROWS_WITH(load_checkpoint(root + "/nope"),
                          root + "/nope: no such checkpoint directory");
    }
    SECTION("no such directory, but a save of it was interrupted: the copy is named, not moved") {
        save_checkpoint(root + "/saved.tmp.999999999", model);  // where the save left it
        CHECK_THROWS_WITH(load_checkpoint(root + "/saved"),
                          root +
                              "/saved: no such checkpoint directory, but saved.tmp.999999999 "
                              "beside it is the complete copy an interrupted save left: "
                              "rename it to " +
                              root + "/saved (saving to it again does this itself)");
        CHECK_FALSE(std::filesystem::exists(root + "/saved"));
    }
    SECTION("missing config.json") {
        ::unlink((dir + "/config.json").c_str());
        CHECK_THROWS_WITH(load_checkpoint(dir), Catch::Contains("config.json: missing"));
    }
    SECTION("config.json that is not JSON, or lacks a field, or has a bad value") {
        write_text(dir + "/config.json", "{\"src_vocab\": 7,");
        CHECK_THROWS_WITH(load_checkpoint(dir), Catch::Contains("not valid JSON"));
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 7, \"tgt_vocab\": 9, \"N\": 1, \"d_model\": 8, \"d_ff\": 16, "
                   "\"dropout\": 0.1}");
        CHECK_THROWS_WITH(load_checkpoint(dir), Catch::Contains("missing field 'h'"));
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 7, \"tgt_vocab\": 9, \"N\": 1, \"d_model\": 8, \"d_ff\": 16, "
                   "\"h\": \"two\", \"dropout\": 0.1}");
        CHECK_THROWS_WITH(load_checkpoint(dir), Catch::Contains("field 'h' must be an integer"));
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 7, \"tgt_vocab\": 9, \"N\": 1, \"d_model\": 8, \"d_ff\": 16, "
                   "\"h\": 3, \"dropout\": 0.1}");
        CHECK_THROWS_WITH(load_checkpoint(dir), Catch::Contains("h = 3 must divide d_model = 8"));
    }
    SECTION("a missing key") {
        ::unlink(key.c_str());
        CHECK_THROWS_WITH(load_checkpoint(dir),
                          dir + ": missing key 'encoder.layers.0.self_attn.linears.2.weight'");
    }
    SECTION("an unexpected key") {
        save_npy(dir + "/encoder.layers.1.self_attn.linears.0.weight.npy",
                 Tensor<2>(xt::zeros<float>({8, 8})));
        CHECK_THROWS_WITH(load_checkpoint(dir),
                          dir +
                              ": unexpected key 'encoder.layers.1.self_attn.linears.0.weight.npy' "
                              "(not a parameter of this model)");
    }
    SECTION("a wrong shape: the config does not match the tensors") {
        save_npy(key, Tensor<2>(xt::zeros<float>({8, 6})));
        CHECK_THROWS_WITH(load_checkpoint(dir),
                          "key 'encoder.layers.0.self_attn.linears.2.weight': expected shape "
                          "[8, 8] (from config.json), got [8, 6]");
    }
    SECTION("a wrong dtype") {
        save_npy(key, xt::xtensor<std::int64_t, 2>(xt::zeros<std::int64_t>({8, 8})));
        CHECK_THROWS_WITH(load_checkpoint(dir),
                          "key 'encoder.layers.0.self_attn.linears.2.weight': expected dtype "
                          "float32 or float16, got int64");
    }
    SECTION("a weight that is not a finite number") {
        Tensor<2> w = xt::zeros<float>({8, 8});
        w(2, 3) = std::numeric_limits<float>::infinity();
        save_npy(key, w);
        CHECK_THROWS_WITH(
            load_checkpoint(dir),
            "key 'encoder.layers.0.self_attn.linears.2.weight': element 19 is not a finite number");
    }
    SECTION(
        "config values that are not integers, or absurdly large, are refused before anything is "
        "built") {
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 7, \"tgt_vocab\": 20000000, \"N\": 1, \"d_model\": 8, "
                   "\"d_ff\": 16, \"h\": 2, \"dropout\": 0.1}");
        CHECK_THROWS_WITH(
            load_checkpoint(dir),
            Catch::Contains("field 'tgt_vocab' must be in [1, 4194304], got 20000000"));
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 7, \"tgt_vocab\": 9, \"N\": 1.5, \"d_model\": 8, \"d_ff\": 16, "
                   "\"h\": 2, \"dropout\": 0.1}");
        CHECK_THROWS_WITH(load_checkpoint(dir), Catch::Contains("field 'N' must be an integer"));
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 18446744073709551615, \"tgt_vocab\": 9, \"N\": 1, \"d_model\": "
                   "8, \"d_ff\": 16, \"h\": 2, \"dropout\": 0.1}");
        CHECK_THROWS_WITH(load_checkpoint(dir), Catch::Contains("got 18446744073709551615"));
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 1e30, \"tgt_vocab\": 9, \"N\": 1, \"d_model\": 8, \"d_ff\": "
                   "16, \"h\": 2, \"dropout\": 0.1}");
        CHECK_THROWS_WITH(load_checkpoint(dir),
                          Catch::Contains("field 'src_vocab' must be an integer"));
    }
    SECTION("a config.json far wider than its files: refused before a model is built") {
        // The tensors the other checks read agree with it (an embedding and the
        // feed-forward input weights C = 4096 wide), but no attention weight of that width
        // is there: built, the model would ask for 4 GiB.
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 7, \"tgt_vocab\": 7, \"N\": 1, \"d_model\": 4096, \"d_ff\": "
                   "1, \"h\": 1, \"dropout\": 0.1, \"shared_embeddings\": true}");
        for (const char* name : {"/src_embed.0.lut.weight.npy", "/tgt_embed.0.lut.weight.npy",
                                 "/generator.proj.weight.npy"})
            fs::remove(dir + name);
        save_npy(dir + "/src_embed.0.lut.weight.npy", Tensor<2>(xt::zeros<float>({7, 4096})));
        for (const char* stack : {"encoder", "decoder"}) {
            save_npy(dir + "/" + stack + ".layers.0.feed_forward.w_1.weight.npy",
                     Tensor<2>(xt::zeros<float>({1, 4096})));
        }
        CHECK_THROWS_WITH(load_checkpoint_config(dir),
                          Catch::Contains("config.json implies 201486345 parameters, but the "
                                          ".npy files hold"));
    }
    SECTION("a tensor of shape () is a wrong shape, not a missing key") {
        fs::remove(dir + "/src_embed.0.lut.weight.npy");
        save_npy(dir + "/src_embed.0.lut.weight.npy", xt::xtensor<float, 0>(1.0f));
        CHECK_THROWS_WITH(load_checkpoint_config(dir),
                          Catch::Contains("key 'src_embed.0.lut.weight' has shape [], "
                                          "config.json implies [7, 8]"));
    }
    SECTION("config.json nested too deep, a number beyond a double, a value too long to show") {
        // Nested 100 000 deep, a 200 KB file: printing it in an error would recurse as deep.
        write_text(dir + "/config.json",
                   "{\"src_vocab\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
        CHECK_THROWS_WITH(load_checkpoint(dir), dir +
                                                    "/config.json: nested more than 32 deep "
                                                    "(not a file this book writes)");
        write_text(dir + "/config.json",
                   "{\"src_vocab\": 7, \"tgt_vocab\": 9, \"N\": 1e400, \"d_model\": 8, "
                   "\"d_ff\": 16, \"h\": 2, \"dropout\": 0.1}");
        CHECK_THROWS_WITH(load_checkpoint(dir),
                          Catch::StartsWith(dir + "/config.json: not valid JSON") &&
                              Catch::Contains("number overflow"));
        // Errors quote what they found, cut short: a line, not the 20 KB of the file.
        write_text(dir + "/config.json", "{\"src_vocab\": " + std::string(20000, '1') + "}");
        const std::string overflow = testing::error_of([&] { load_checkpoint(dir); });
        CHECK_THAT(overflow, Catch::Contains("not valid JSON") && Catch::EndsWith("…"));
        CHECK(overflow.size() < 300);
        std::string ones = "1";
        for (int i = 0; i < 5000; ++i) ones += ",1";
        write_text(dir + "/config.json", "{\"src_vocab\": [" + ones + "], \"tgt_vocab\": 9}");
        const std::string array = testing::error_of([&] { load_checkpoint(dir); });
        CHECK_THAT(array, Catch::Contains("field 'src_vocab' must be an integer") &&
                              Catch::EndsWith("... (array)"));
        CHECK(array.size() < 300);
        // A key is quoted through printable(): no line breaks or terminal escapes.
        write_text(dir + "/config.json", "{\"\\u001b[31m\\nred\": 1}");
        CHECK(testing::error_of([&] { load_checkpoint(dir); }) ==
              dir + "/config.json: unknown field '\\x1B[31m\\x0Ared'");
    }
    SECTION("config.json that is a directory") {
        ::unlink((dir + "/config.json").c_str());
        fs::create_directory(dir + "/config.json");
        CHECK_THROWS_WITH(load_checkpoint(dir),
                          Catch::Contains("config.json: is a directory, expected a file"));
    }
    SECTION("a truncated file") {
        const std::string bytes = read_file(key);
        write_text(key, bytes.substr(0, bytes.size() - 10));
        CHECK_THROWS_WITH(load_checkpoint(dir),
                          Catch::Contains("key 'encoder.layers.0.self_attn.linears.2.weight'") &&
                              Catch::Contains("truncated data"));
    }
}

TEST_CASE("config.json round-trips") {
    ModelConfig c = tiny();
    c.dropout = 0.25f;
    const ModelConfig back = ModelConfig::from_json(c.to_json(), "test");
    CHECK(back.src_vocab == 7);
    CHECK(back.tgt_vocab == 9);
    CHECK(back.h == 2);
    CHECK(back.dropout == 0.25f);
}

TEST_CASE("one field table: JSON, unknown fields, differences and command-line flags agree") {
    const FieldTable<ModelConfig>& table = ModelConfig::fields();
    ModelConfig c = tiny();
    // A misspelt field is an error, not a silently ignored line.
    nlohmann::json j = nlohmann::json::parse(c.to_json());
    j["d_modle"] = 8;
    CHECK_THROWS_WITH(table.from_json(j, "config.json"), "config.json: unknown field 'd_modle'");
    j.erase("d_modle");
    j.erase("shared_embeddings");  // optional: files written before it existed
    CHECK(table.from_json(j, "config.json") == c);
    j.erase("N");
    CHECK_THROWS_WITH(table.from_json(j, "config.json"), "config.json: missing field 'N'");
    // The first field that differs, with both values.
    ModelConfig d = c;
    d.d_ff = 64;
    d.h = 4;
    CHECK(table.difference(c, d) == "d_ff: 16 against 64");
    CHECK(table.difference(c, c).empty());
    CHECK(json_difference(nlohmann::json::parse(R"({"a": {"b": 1, "c": 2}})"),
                          nlohmann::json::parse(R"({"a": {"b": 1, "c": 3}})")) ==
          "a.c: 2 against 3");
    CHECK(json_difference(nlohmann::json::parse(R"({"a": 1})"),
                          nlohmann::json::parse(R"({"a": 1, "b": 2})")) == "b: nothing against 2");
    // The flags are the table's, with its ranges.
    ModelConfig parsed = tiny();
    CLI::App app;
    add_flags(app, table, parsed);
    const char* argv[] = {"prog", "--layers", "3", "--d-model", "32", "--dropout", "0.25"};
    REQUIRE_NOTHROW(app.parse(7, argv));
    CHECK(parsed.N == 3);
    CHECK(parsed.d_model == 32);
    CHECK(parsed.dropout == 0.25f);
    CHECK(parsed.src_vocab == 7);  // no flag: untouched
    CLI::App strict;
    add_flags(strict, table, parsed);
    const char* bad[] = {"prog", "--layers", "0"};
    CHECK_THROWS_AS(strict.parse(3, bad), CLI::ValidationError);
    // A configuration built in code is checked against the same ranges.
    ModelConfig wide = tiny();
    wide.N = 1000;
    CHECK_THROWS_WITH(wide.validate(), "model config: N must be in [1, 256], got 1000");
}

TEST_CASE("fuzzing config.json: every mutant is read or refused with a CheckpointError") {
    ModelConfig c = tiny();
    c.shared_embeddings = true;
    c.tgt_vocab = c.src_vocab;
    const std::vector<std::string> seeds = {tiny().to_json(), c.to_json()};
    const std::size_t rejected =
        testing::fuzz<CheckpointError>(seeds, 5000, 3, [](const std::string& text) {
            const ModelConfig read = ModelConfig::from_json(text, "config.json");
            REQUIRE_NOTHROW(read.validate());  // anything accepted is a usable configuration
        });
    CHECK(rejected > 2500);
}
