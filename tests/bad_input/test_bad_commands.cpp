// Flags that would do nothing, and outputs that would be lost: every program refuses them
// before any work, in one line that names the flag. Runs the built programs, as
// test_bad_inputs.cpp does.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "program_runs.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using namespace tfm::testing;

TEST_CASE("flags that would do nothing are refused, naming the flag") {
    const ScratchDirectory dir("flags");
    const std::string data = dir / "data";
    REQUIRE(run(TFM_CH10 + std::string(" made-up --pairs 60 --out ") + data).status == 0);
    write_text(dir / "h.txt", "a b\n");
    check_rows(
        TFM_CH10,
        {{"bleu --hyp " + dir / "h.txt" + " --ref " + dir / "h.txt" + " --output " + dir / "o.txt",
          "bleu: --output is for scoring a split's translations; --hyp and --ref score two "
          "files as they are: give one or the other"},
         {"--data " + data + " translate --checkpoint " + dir / "none",
          "--data before translate is the tour's, and translate reads none"},
         {"--data " + data + " bleu --checkpoint " + dir / "none",
          "--data before bleu is the tour's, and bleu takes its own: give it after bleu"},
         {"train --data " + data + " --out " + dir / "r --subword-vocab 500",
          "--subword-vocab requires --subword"},
         {"train --data " + data + " --out " + dir / "r --subword --min-freq 2",
          "--subword excludes --min-freq"}});
    check_rows(TFM_CH14, {{"train --position learned --rope-base 3 --out " + dir / "lm",
                           "--rope-base sets RoPE's frequencies, and --position learned uses "
                           "no RoPE"}});
    CHECK_FALSE(std::filesystem::exists(dir / "r"));
    CHECK_FALSE(std::filesystem::exists(dir / "lm"));
    // evaluate's --length, before the pass over the validation split.
    write_text(dir / "text.txt", std::string(400, 'a') + "\nROMEO: to be\n");
    const std::string text = " --data " + dir / "text.txt";
    REQUIRE(run(TFM_CH14 + std::string(" train --position learned --out ") + dir / "learned" +
                text + kTinyLanguageModel)
                .status == 0);
    check_rows(TFM_CH14, {{"evaluate --checkpoint " + dir / "learned" + text + " --length 16",
                           "--length 16: modern decoder: 16 tokens, but the model has learned "
                           "positions for 1 to 8"},
                          {"evaluate --checkpoint " + dir / "learned" + text + " --length 4000",
                           "--length 4000: the validation split holds 42 characters, no window "
                           "of 4001"},
                          {"evaluate --checkpoint " + dir / "learned" + text + " --length 4" +
                               " --positions " + dir / "text.txt",
                           "--positions " + dir / "text.txt" + ": it is also --data"}});
    CHECK(read_file(dir / "text.txt") == std::string(400, 'a') + "\nROMEO: to be\n");
}

TEST_CASE("outputs inside a run, or through a link, are refused before the work") {
    const ScratchDirectory dir("outputs");
    const std::string data = dir / "data", run_dir = dir / "run";
    REQUIRE(run(TFM_CH10 + std::string(" made-up --pairs 60 --out ") + data).status == 0);
    REQUIRE(
        run(TFM_CH10 + std::string(" train --data ") + data + kTinyTranslator + " --out " + run_dir)
            .status == 0);
    write_text(dir / "keep.txt", "mine\n");
    std::filesystem::create_symlink(dir / "keep.txt", dir / "link");
    const std::string inside = "that is replaced whole at its next save; write it elsewhere";
    const std::string reference = data + "/val.en.gz", reference_bytes = read_file(reference);
    check_rows(
        TFM_CH10,
        {{"bleu --checkpoint " + run_dir + " --data " + data + " --split val --output " + run_dir +
              "/hyps.txt",
          inside},
         {"bleu --checkpoint " + run_dir + " --data " + data + " --split val --output " + reference,
          "--output " + reference + ": it is also --data, which this program reads"},
         {"bleu --checkpoint " + run_dir + " --data " + data + " --split val --output " +
              dir / "link",
          "--output " + dir / "link" + ": is a symbolic link; give the file itself"},
         {"average --checkpoint " + run_dir + " --last 1 --out " + run_dir + "/averaged", inside},
         {"train --data " + data + kTinyTranslator + " --out " + run_dir + "/inner", inside},
         {"train --data " + data + kTinyTranslator + " --out " + run_dir + "/model", inside},
         {"train --data " + reference + kTinyTranslator + " --out " + dir / "r2",
          "--data " + reference + ": not a directory (give the directory of the six files)"}});
    CHECK(read_file(dir / "keep.txt") == "mine\n");
    CHECK(read_file(reference) == reference_bytes);
    CHECK_FALSE(std::filesystem::exists(run_dir + "/hyps.txt"));
    REQUIRE(run(TFM_CH10 + std::string(" average --checkpoint ") + run_dir + " --last 1 --out " +
                dir / "mean")
                .status == 0);
    // The snapshots must fit the run's model, or the mean would not load.
    const std::string snapshot = run(std::string("ls -d ") + run_dir + "/snapshots/*").output;
    REQUIRE_FALSE(snapshot.empty());
    const std::string other = dir / "other";
    REQUIRE(run(TFM_CH10 + std::string(" train --data ") + data + kTinyTranslator +
                " --min-freq 100 --out " + other)
                .status == 0);
    std::filesystem::remove_all(snapshot.substr(0, snapshot.size() - 1));
    std::filesystem::copy(other + "/model", snapshot.substr(0, snapshot.size() - 1));
    check_rows(TFM_CH10, {{"average --checkpoint " + run_dir + " --last 1 --out " + dir / "avg",
                           "hold another model than its model/"}});
    CHECK_FALSE(std::filesystem::exists(dir / "avg"));
}

TEST_CASE("an output that would destroy an input, and a seed that changes nothing, are refused") {
    const ScratchDirectory dir("inputs");
    // Chapter 07's checkpoint, as a bare copy (no book marker), and a batch of its ids.
    const std::string bare = dir / "bare", src = dir / "src.npy", bad_ids = dir / "bad.npy";
    std::filesystem::copy(std::string(TFM_FIXTURES_DIR) + "/ch07/small_checkpoint", bare,
                          std::filesystem::copy_options::recursive);
    std::filesystem::remove(bare + "/" + kDirectoryMarker);
    std::filesystem::copy(testing::fixture("ch07", "small_src"), src);
    const std::string src_bytes = read_file(src);
    xt::xtensor<std::int64_t, 2> ids_BL = load_npy<std::int64_t, 2>(src);
    ids_BL(0, 1) = 99999;
    save_npy(bad_ids, ids_BL);
    const std::string greedy = "greedy --checkpoint " + bare + " --pad 0 --start 1 --max-len 3";
    check_rows(
        TFM_CH07,
        {{greedy + " --src " + src + " --out " + src,
          "--out " + src + ": it is also --src, which this program reads; write elsewhere"},
         {greedy + " --src " + src + " --out " + bare + "/ids.npy",
          "--out " + bare + "/ids.npy: it is inside --checkpoint " + bare +
              ", which this program reads"},
         {"forward --checkpoint " + bare + " --src " + src + " --tgt " + src +
              " --pad 99999 --out " + dir / "o.npy",
          "--pad 99999 is outside the source vocabulary [0, 11)"},
         {greedy + " --src " + bad_ids + " --out " + dir / "o.npy",
          "--src " + bad_ids + ": token id 99999 at [0, 1] is outside the vocabulary [0, 11)"},
         {"--seed 3 " + greedy + " --src " + src + " --out " + dir / "o.npy",
          "--seed 3: greedy draws no random numbers, so a seed would change nothing"}});
    CHECK(read_file(src) == src_bytes);
    CHECK_FALSE(std::filesystem::exists(bare + "/ids.npy"));
    CHECK_FALSE(std::filesystem::exists(dir / "o.npy"));
    // Chapter 11 reads its input before the model, and names a sentence too long for it.
    std::string words;
    for (int i = 0; i < 5000; ++i) words += "hund ";
    write_text(dir / "long.txt", "ein mann\n" + words + "\n");
    const std::string model = std::string(TFM_SOURCE_DIR) + "/data/pretrained/de-en";
    check_rows(
        TFM_CH11,
        {{"--seed 3 translate --checkpoint " + model + " --input " + dir / "long.txt",
          "--seed 3: translate draws no"},
         {"translate --checkpoint " + dir / "none" + " --input " + dir / "missing.txt",
          "--input " + dir / "missing.txt"},
         {"translate --checkpoint " + model + " --input " + dir / "long.txt", "sentence 2: "},
         {"translate --checkpoint " + model + " --input " + dir / "long.txt",
          "tokens and <s> and </s>, more than the model's 5000 positions"}});
    // The figures' directory is refused inside a run or a model, before the demo.
    const std::string marked = dir / "marked";
    std::filesystem::copy(std::string(TFM_FIXTURES_DIR) + "/ch07/small_checkpoint", marked,
                          std::filesystem::copy_options::recursive);
    check_rows(TFM_CH07, {{"--figures " + marked, "--figures " + marked + ": it holds a"}});
    CHECK_FALSE(std::filesystem::exists(marked + "/architecture.dot"));
    // --pad -1 says there is no padding; --pad -2 is no id at all.
    const std::string no_pad = "greedy --checkpoint " + bare + " --start 1 --max-len 3 --src " +
                               src + " --out " + dir / "o.npy" + " --pad ";
    check_rows(TFM_CH07, {{no_pad + "-2",
                           "--pad -2 is outside the source vocabulary [0, 11) (-1: no padding)"}});
    CHECK(run(TFM_CH07 + std::string(" ") + no_pad + "-1").status == 0);
}

TEST_CASE("the scripts refuse what they cannot do, before doing any of it") {
    const ScratchDirectory dir("scripts");
    const std::string scripts = std::string(TFM_SOURCE_DIR) + "/scripts";
    // No download is tried: the address leads nowhere, and every refusal comes first.
    const std::string download =
        "TFM_MULTI30K_URL=file:///nonexistent " + scripts + "/download-data.sh multi30k ";
    Run r = run(download + "''");
    CHECK(r.status == 2);
    CHECK(r.output ==
          "download-data.sh: DIR is empty; name a directory, or leave it out for "
          "data/multi30k\n");
    std::filesystem::create_directories(dir / "data/val.en.gz");
    r = run(download + dir / "data");
    CHECK(r.status == 1);
    CHECK(r.output == "download-data.sh: " + dir / "data/val.en.gz" +
                          " exists and is not a file; move it away\n");
    CHECK(std::filesystem::is_empty(dir / "data/val.en.gz"));
    // A mistyped exercise is named before any build directory is configured.
    r = run(scripts + "/exercises 99.9 --build-dir " + dir / "build");
    CHECK(r.status == 1);
    CHECK_THAT(r.output, Catch::StartsWith("exercises: no command or exercise '99.9'"));
    CHECK_FALSE(std::filesystem::exists(dir / "build"));
    r = run(scripts + "/exercises list extra");
    CHECK(r.status == 1);
    CHECK(r.output == "exercises: 'list' takes no further argument, got 'extra'\n");
    r = run(scripts + "/tour.sh " + dir / "build" + " extra");
    CHECK(r.status == 2);
    CHECK(r.output == "usage: scripts/tour.sh [BUILD_DIR]\n");
    r = run(scripts + "/tour.sh ''");
    CHECK(r.status == 2);
    CHECK(r.output ==
          "tour: BUILD_DIR is empty; name a build directory, or leave it out for build\n");
    r = run(scripts + "/tour.sh " + dir / "build");
    CHECK(r.status == 1);
    CHECK_THAT(r.output,
               Catch::EndsWith("is missing; build first: cmake --preset default -B " +
                               dir / "build" + " && cmake --build " + dir / "build" + "\n"));
    // A program that needs a temporary directory says which variable named a missing one.
    r = run("TMPDIR=" + dir / "none" + " " + TFM_CH00 + " --size 2");
    CHECK(r.status == 1);
    CHECK_THAT(r.output,
               Catch::Contains("no directory for temporary files (TMPDIR=" + dir / "none" + ")"));
}

// A run's losses are kept once, in its state.json; scripts/run_curves.py writes them out as
// the table the chapters' figures are drawn from. Each row must be that record's, rounded.
TEST_CASE("run_curves.py writes a run's evaluations as they are recorded, and refuses the rest") {
    const ScratchDirectory dir("curves");
    const std::string curves = std::string(TFM_SOURCE_DIR) + "/scripts/run_curves.py ";
    // Records written by hand: which field goes to which column, a score or none.
    fs::create_directories(dir / "epochs");
    write_text(dir / "epochs/state.json", R"({"format": 2, "evaluations": [
        {"epoch": 1, "step": 10, "train_loss": 3.25, "val_loss": 3.0,
         "train_seconds": 1.0, "seconds": 1.5},
        {"epoch": 2, "step": 20, "train_loss": 2.125, "val_loss": 2.5, "score": 12.34567,
         "train_seconds": 2.0, "seconds": 4.3}]})");
    Run r = run(curves + dir / "epochs" + " " + dir / "epochs.dat");
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output ==
          "run_curves: 2 evaluations (by epoch) written to " + dir / "epochs.dat" + "\n");
    CHECK(read_file(dir / "epochs.dat") ==  // no score: NaN, which gnuplot leaves out
          "# epoch train_loss val_loss val_bleu seconds\n"
          "1 3.250000 3.000000 nan 1.5\n"
          "2 2.125000 2.500000 12.3457 4.3\n");
    fs::create_directories(dir / "iterations");
    write_text(dir / "iterations/state.json", R"({"format": 2, "evaluations": [
        {"epoch": 0, "step": 0, "train_loss": 4.5, "val_loss": 4.25,
         "train_seconds": 0.0, "seconds": 0.5},
        {"epoch": 0, "step": 250, "train_loss": 2.0, "val_loss": 2.125,
         "train_seconds": 9.0, "seconds": 9.5}]})");
    r = run(curves + dir / "iterations" + " " + dir / "iterations.dat");
    CHECK(r.status == 0);
    CHECK(read_file(dir / "iterations.dat") ==
          "# step train_loss val_loss\n0 4.500000 4.250000\n250 2.000000 2.125000\n");

    // Runs the programs saved: the script reads their state.json as they write it.
    const std::string data = dir / "data", translation = dir / "translation",
                      language = dir / "language";
    REQUIRE(run(TFM_CH10 + std::string(" made-up --pairs 60 --out ") + data).status == 0);
    REQUIRE(run(TFM_CH10 + std::string(" train --data ") + data + kTinyTranslator + " --out " +
                translation)
                .status == 0);
    REQUIRE(run(TFM_CH12 + std::string(" train --out ") + language + kTinyLanguageModel).status ==
            0);
    const auto number = [](double x, int digits) {
        char text[64];
        std::snprintf(text, sizeof text, "%.*f", digits, x);
        return std::string(text);
    };
    const nlohmann::json trained =
        nlohmann::json::parse(read_file(translation + "/state.json"))["evaluations"];
    REQUIRE(trained.size() == 1);
    r = run(curves + translation + " " + dir / "translation.dat");
    CHECK(r.status == 0);
    CHECK(r.output ==
          "run_curves: 1 evaluation (by epoch) written to " + dir / "translation.dat" + "\n");
    CHECK(read_file(dir / "translation.dat") ==  // --bleu-sentences 0: no score
          "# epoch train_loss val_loss val_bleu seconds\n1 " + number(trained[0]["train_loss"], 6) +
              " " + number(trained[0]["val_loss"], 6) + " nan " + number(trained[0]["seconds"], 1) +
              "\n");
    const nlohmann::json estimated =
        nlohmann::json::parse(read_file(language + "/state.json"))["evaluations"];
    std::string steps = "# step train_loss val_loss\n";
    for (const nlohmann::json& e : estimated) {
        steps += std::to_string(e["step"].get<int>()) + " " + number(e["train_loss"], 6) + " " +
                 number(e["val_loss"], 6) + "\n";
    }
    r = run(curves + language + " " + dir / "language.dat");
    CHECK(r.status == 0);
    CHECK(read_file(dir / "language.dat") == steps);
    CHECK(count_lines(steps) == 4);  // the header, and iterations 0, 1 and 2

    // What is no run, a state.json from before its evaluations were a list, or a table
    // that cannot be written: one line.
    r = run(curves + data + " " + dir / "none.dat");
    CHECK(r.status == 1);
    CHECK(r.output == "run_curves: " + data + "/state.json: No such file or directory (is " + data +
                          " a training run?)\n");
    fs::create_directories(dir / "old");
    write_text(dir / "old/state.json", R"({"train_loss": [2.5], "eval_loss": [2.4]})");
    r = run(curves + dir / "old" + " " + dir / "none.dat");
    CHECK(r.status == 1);
    CHECK(r.output == "run_curves: " + dir / "old/state.json" +
                          ": no list of evaluations (a run saved by an older version?)\n");
    CHECK_FALSE(fs::exists(dir / "none.dat"));
    r = run(curves + dir / "epochs" + " " + dir / "nowhere/epochs.dat");
    CHECK(r.status == 1);
    CHECK(r.output ==
          "run_curves: " + dir / "nowhere/epochs.dat" + ": No such file or directory\n");
}
