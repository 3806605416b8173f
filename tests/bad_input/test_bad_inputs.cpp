// Every program, fed bad input: one line that names the problem, a non-zero exit, no
// crash, and nothing of the user's lost. One table per program and format; each row is
// the command line (with files prepared by the test) and a piece of the message it must
// print. Runs the built programs, so it checks what a reader actually sees.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "10_translation/corpus.hpp"
#include "test_helpers.hpp"

using namespace tfm;
namespace fs = std::filesystem;

namespace {
struct Run {
    int status;
    std::string output;
};
Run run(const std::string& command) {
    Run r{-1, ""};
    if (FILE* p = ::popen((command + " 2>&1").c_str(), "r")) {
        std::array<char, 4096> buf{};
        while (std::fgets(buf.data(), buf.size(), p)) r.output += buf.data();
        const int s = ::pclose(p);
        r.status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    }
    return r;
}
void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

struct Row {
    std::string args;      ///< after the program's path
    std::string expected;  ///< a piece of the message
};

void check_rows(const std::string& program, const std::vector<Row>& rows) {
    for (const Row& row : rows) {
        const Run r = run(program + " " + row.args);
        INFO(fs::path(program).filename().string() << " " << row.args << "\n" << r.output);
        CHECK(r.status != 0);
        CHECK(r.status != -1);  // a signal (a crash) is never an answer
        CHECK(r.output.find(row.expected) != std::string::npos);
        CHECK(r.output.find("terminate called") == std::string::npos);
    }
}
}  // namespace

TEST_CASE("numbers on the command line: decimal, in range, no sign where none belongs") {
    check_rows(TFM_CH00, {{"--seed ''", "an empty value where a number is expected"},
                          {"--seed -1", "'-1' is not a whole number written in decimal (no sign)"},
                          {"--seed 99999999999999999999", "'99999999999999999999' is too large"},
                          {"--seed 010", "has a leading zero"},
                          {"--seed 0x10", "is not a whole number"},
                          {"--size 4096", "--size"},
                          {"--bogus", "--bogus"}});
    check_rows(TFM_CH09, {{"--epochs 010", "has a leading zero"}, {"--epochs 0", "--epochs"}});
    check_rows(TFM_CH11,
               {{"bleu --checkpoint x --data y --alpha nan", "'nan' is not a decimal number"},
                {"bleu --checkpoint x --data y --beam 0", "--beam"},
                {"inspect --checkpoint x --alpha -1", "--alpha"}});
}

TEST_CASE("chapter 07's command line: checkpoints, .npy files and lengths") {
    const ScratchDirectory dir("bad");
    const std::string ckpt = std::string(TFM_FIXTURES_DIR) + "/ch07/small_checkpoint";
    const std::string src = testing::fixture("ch07", "small_src");
    write_text(dir / "zeros.npy", std::string(1000, '\0'));
    fs::create_directory(dir / "adir.npy");
    check_rows(TFM_CH07,
               {
                   {"greedy --checkpoint " + ckpt + " --src " + src +
                        " --pad 0 --start 1 --max-len 6000 --out " + dir / "o.npy",
                    "--max-len"},
                   {"greedy --checkpoint " + ckpt + " --src " + src +
                        " --pad 99999999999999999999 --start 1 --max-len 5 --out " + dir / "o.npy",
                    "is too large"},
                   {"forward --checkpoint " + dir / "none" + " --src " + src + " --tgt " + src +
                        " --pad 0 --out " + dir / "o.npy",
                    "--checkpoint: Directory does not exist"},
                   {"forward --checkpoint " + ckpt + " --src " + dir / "zeros.npy" + " --tgt " +
                        src + " --pad 0 --out " + dir / "o.npy",
                    "not a .npy file (bad magic string)"},
                   {"forward --checkpoint " + ckpt + " --src " + src + " --tgt " + src +
                        " --pad 0 --out ''",
                    "an empty value"},
               });
}

TEST_CASE("training runs: a directory that is not a run is never replaced or used") {
    const ScratchDirectory dir("bad");
    fs::create_directory(dir / "mine");
    write_text(dir / "mine/notes.txt", "keep me");
    check_rows(TFM_CH09, {{"--epochs 1 --checkpoint " + dir / "mine", "did not write"},
                          {"--epochs 1 --resume --checkpoint " + dir / "mine", "state.json"},
                          {"--resume", "--resume needs --checkpoint DIR"}});
    CHECK(read_file(dir / "mine/notes.txt") == "keep me");
}

TEST_CASE("chapter 10's data, vocabularies and checkpoints") {
    const ScratchDirectory dir("bad");
    fs::create_directory(dir / "data");
    write_lines_gz(dir / "data/train.de.gz", {"Ein Hund.", "\xC3("});
    write_lines_gz(dir / "data/train.en.gz", {"A dog.", "A cat."});
    write_lines_gz(dir / "data/val.de.gz", {"Ein Hund."});
    write_lines_gz(dir / "data/val.en.gz", {"A dog."});
    fs::create_directory(dir / "run");
    write_text(dir / "run/translation.json", "{\"tokenization\": \"word\", \"max_len\": 64}");
    check_rows(
        TFM_CH10,
        {
            {"train --data " + dir / "nowhere" + " --out " + dir / "r",
             "scripts/download-data.sh multi30k"},
            {"train --data " + dir / "data" + " --out " + dir / "r",
             "train.de.gz:2: invalid UTF-8 at byte 1"},
            {"translate --checkpoint " + dir / "run", "has no vocab/ directory"},
            {"bleu --hyp " + dir / "none.txt" + " --ref " + dir / "none.txt", "no such file"},
            {"average --checkpoint " + dir / "run" + " --last 2 --out " + dir / "avg",
             "holds no snapshots/"},
        });
    check_rows(TFM_CH11, {{"inspect --checkpoint " + dir / "run", "has no vocab/ directory"}});
}

TEST_CASE("chapter 12: a run saved by train samples and resumes; a finished run trains nothing") {
    const ScratchDirectory dir("lm");
    const std::string out = dir / "run";
    const Run trained =
        run(TFM_CH12 + std::string(" train --out ") + out + " --max-iters 2 --eval-interval 1");
    INFO(trained.output);
    REQUIRE(trained.status == 0);
    CHECK(fs::exists(out + "/vocabulary.txt"));
    CHECK(fs::exists(out + "/ch12_pretrain.dat"));  // the loss curve, for the figure
    const Run sampled =
        run(TFM_CH12 + std::string(" sample --checkpoint ") + out + " --tokens 40 --prompt ROMEO:");
    INFO(sampled.output);
    CHECK(sampled.status == 0);
    CHECK(sampled.output.find("ROMEO:") != std::string::npos);
    const Run resumed = run(TFM_CH12 + std::string(" train --out ") + out +
                            " --max-iters 2 --eval-interval 1 --resume");
    INFO(resumed.output);
    CHECK(resumed.status == 0);
}

TEST_CASE("chapter 12's checkpoints and prompts") {
    const ScratchDirectory dir("bad");
    fs::create_directories(dir / "run/model");
    write_text(dir / "run/model/config.json",
               "{\"vocab\": 65, \"block_size\": 64, \"n_layer\": 1e30}");
    check_rows(TFM_CH12,
               {{"sample --checkpoint " + dir / "run", "field 'n_layer' must be an integer"},
                {"sample --checkpoint " + dir / "none", "no such checkpoint directory"},
                {"sample --checkpoint " + dir / "run --temperature -1", "--temperature"}});
}
