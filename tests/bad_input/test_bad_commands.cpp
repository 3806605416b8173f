// Flags that would do nothing, and outputs that would be lost: every program refuses them
// before any work, in one line that names the flag. Runs the built programs, as
// test_bad_inputs.cpp does.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "00_tensors/files.hpp"
#include "program_runs.hpp"

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
                           "of 4001"}});
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
    check_rows(
        TFM_CH10,
        {{"bleu --checkpoint " + run_dir + " --data " + data + " --split val --output " + run_dir +
              "/hyps.txt",
          inside},
         {"bleu --checkpoint " + run_dir + " --data " + data + " --split val --output " +
              dir / "link",
          "--output " + dir / "link" + ": is a symbolic link; give the file itself"},
         {"average --checkpoint " + run_dir + " --last 1 --out " + run_dir + "/averaged", inside},
         {"train --data " + data + kTinyTranslator + " --out " + run_dir + "/inner", inside}});
    CHECK(read_file(dir / "keep.txt") == "mine\n");
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
