// Every program, fed bad input: one line that names the problem, a non-zero exit, no
// crash, and nothing of the user's lost. One table per program and format; each row is
// the command line (with files prepared by the test) and a piece of the message it must
// print. Runs the built programs, so it checks what a reader actually sees.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "00_tensors/text_files.hpp"
#include "10_translation/corpus.hpp"
#include "program_runs.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using namespace tfm::testing;
namespace fs = std::filesystem;

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

// The sanitizers reserve far more address space than any limit here would allow.
#if !defined(__SANITIZE_ADDRESS__)
TEST_CASE("sizes the process cannot hold: one line that says so") {
    // 10^5 windows a step: gigabytes of activations, under a limit of 3 GB.
    const Run r = run("ulimit -v 3000000; " + std::string(TFM_CH12) +
                      " train --batch-size 100000 --max-iters 1");
    INFO(r.output);
    CHECK(r.status == 1);
    CHECK_THAT(r.output, Catch::EndsWith("ch12_language_model: error: out of memory: the sizes "
                                         "asked for need more memory than this process may use; "
                                         "ask for smaller ones (the batch, the lengths, the "
                                         "model)\n"));
}
#endif

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

namespace {
// A version 1.0 .npy file of int64 with the given header shape and `data` after it.
void write_npy_int64(const std::string& path, const std::string& shape, const std::string& data) {
    std::string header = "{'descr': '<i8', 'fortran_order': False, 'shape': " + shape + ", }";
    header += std::string(63 - (10 + header.size()) % 64, ' ') + "\n";
    const std::string prefix =
        std::string("\x93NUMPY\x01\x00", 8) + char(header.size() % 256) + char(header.size() / 256);
    write_text(path, prefix + header + data);
}
}  // namespace

TEST_CASE("chapter 07: empty or overlong batches, nested and overflowing config files") {
    const ScratchDirectory dir("bad");
    const std::string ckpt = std::string(TFM_FIXTURES_DIR) + "/ch07/small_checkpoint";
    const std::string src = testing::fixture("ch07", "small_src");
    // 128 bytes that declare 10^18 empty sequences: refused before the model loops over them.
    write_npy_int64(dir / "empty.npy", "(1000000000000000000, 0)", "");
    write_npy_int64(dir / "long.npy", "(1, 6000)", std::string(6000 * 8, '\0'));
    const std::string greedy = " --pad 0 --start 1 --max-len 3 --out " + dir / "o.npy";
    // config.json copies of the fixture: nested 100 000 deep (printing it in an error would
    // overflow the stack), and a number beyond a double.
    const std::string deep = dir / "deep", huge = dir / "huge";
    for (const std::string& copy : {deep, huge}) fs::copy(ckpt, copy, fs::copy_options::recursive);
    write_text(deep + "/config.json",
               "{\"src_vocab\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
    nlohmann::json config = nlohmann::json::parse(read_file(ckpt + "/config.json"));
    std::string text = config.dump();
    text.replace(text.find("\"N\":") + 4, 1, "1e400");
    write_text(huge + "/config.json", text);
    fs::create_directory(dir / "figures");
    check_rows(TFM_CH07,
               {
                   {"greedy --checkpoint " + ckpt + " --src " + dir / "empty.npy" + greedy,
                    "--src: expected at least one sequence of at least one token, got "
                    "[1000000000000000000, 0]"},
                   {"forward --checkpoint " + ckpt + " --src " + src + " --tgt " +
                        dir / "long.npy" + " --pad 0 --out " + dir / "o.npy",
                    "--tgt: sequences of 6000 tokens, more than the model's 5000 positions"},
                   {"greedy --checkpoint " + deep + " --src " + src + greedy,
                    "config.json: nested more than 32 deep"},
                   {"greedy --checkpoint " + huge + " --src " + src + greedy,
                    "config.json: not valid JSON"},
                   {"--figures " + dir / "figures" + " greedy --checkpoint " + ckpt + " --src " +
                        src + greedy,
                    "the greedy command draws none"},
               });
    check_rows(TFM_CH00, {{"--figures " + dir / "figures", "--figures"}});
    CHECK(fs::is_empty(dir / "figures"));
}

TEST_CASE("training runs: a directory that is not a run is never replaced or used") {
    const ScratchDirectory dir("bad");
    fs::create_directory(dir / "mine");
    write_text(dir / "mine/notes.txt", "keep me");
    check_rows(TFM_CH09,
               {{"--epochs 1 --checkpoint " + dir / "mine", "did not write"},
                {"--epochs 1 --resume --checkpoint " + dir / "mine", "is not a training run"},
                {"--resume", "--resume needs --checkpoint DIR"},
                {"--overwrite", "--overwrite needs --checkpoint DIR"}});
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

TEST_CASE(
    "chapter 12: a run saved by train samples and resumes, and a finished run trains nothing") {
    const ScratchDirectory dir("lm");
    const std::string out = dir / "run";
    const Run trained = run(TFM_CH12 + std::string(" train --out ") + out + kTinyLanguageModel);
    INFO(trained.output);
    REQUIRE(trained.status == 0);
    CHECK(fs::exists(out + "/vocabulary.txt"));
    // The losses are kept once, in state.json: nothing but the run is written into it.
    CHECK_FALSE(fs::exists(out + "/ch12_pretrain.dat"));
    const Run sampled =
        run(TFM_CH12 + std::string(" sample --checkpoint ") + out + " --tokens 40 --prompt ROMEO:");
    INFO(sampled.output);
    CHECK(sampled.status == 0);
    CHECK(sampled.output.find("ROMEO:") != std::string::npos);
    const Run resumed =
        run(TFM_CH12 + std::string(" train --out ") + out + kTinyLanguageModel + " --resume");
    INFO(resumed.output);
    CHECK(resumed.status == 0);
    CHECK(resumed.output.find("has trained 2 iterations (--max-iters 2): nothing left to train") !=
          std::string::npos);
    check_rows(TFM_CH12, {{"train --out " + out + " --resume --lr 0.5",
                           "--lr 0.5, the run's 0.001: a resumed run keeps the settings"},
                          {"train --out " + out + " --resume --layers 7",
                           "--layers 7, the run's 1: a resumed run keeps the settings"}});
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
    // Checked before any training: where fine-tuning's curves go, and a text long enough.
    write_text(dir / "file", "");
    write_text(dir / "short.txt", "ROMEO: to be\n");
    check_rows(TFM_CH12,
               {{"finetune --checkpoint " + dir / "none --data none --out " + dir / "file",
                 "--out " + dir / "file" + ": exists and is not a directory"},
                {"train --data " + dir / "short.txt",
                 "the training split holds 11 characters, too few for one window of 65 (a context "
                 "of 64 and "
                 "the character after it): give a longer text, or a shorter context"}});
}

TEST_CASE("training runs: replaced only when asked, never one of another kind") {
    const ScratchDirectory dir("runs");
    const std::string data = dir / "data", de_en = dir / "de-en", lm = dir / "lm";
    REQUIRE(run(TFM_CH10 + std::string(" made-up --pairs 60 --out ") + data).status == 0);
    std::ofstream(dir / "text.txt") << std::string(400, 'a') + "\nROMEO: to be\n";
    const std::string train10 = TFM_CH10 + std::string(" train --data ") + data + kTinyTranslator;
    const std::string train12 =
        TFM_CH12 + std::string(" train --data ") + dir / "text.txt" + kTinyLanguageModel;
    REQUIRE(run(train10 + " --out " + de_en).status == 0);
    REQUIRE(run(train12 + " --out " + lm).status == 0);
    const std::string state10 = read_file(de_en + "/state.json"),
                      state12 = read_file(lm + "/state.json");
    check_rows(TFM_CH10,
               {{train10.substr(std::string(TFM_CH10).size()) + " --out " + de_en,
                 "already holds a translation training run: continue it with --resume, "
                 "or replace it with --overwrite"},
                {train10.substr(std::string(TFM_CH10).size()) + " --out " + lm,
                 "language-model training run"},
                {train10.substr(std::string(TFM_CH10).size()) + " --out " + lm + " --overwrite",
                 "language-model training run"}});
    check_rows(TFM_CH12,
               {{train12.substr(std::string(TFM_CH12).size()) + " --out " + lm,
                 "already holds a language-model training run"},
                {train12.substr(std::string(TFM_CH12).size()) + " --out " + de_en,
                 "translation training run"},
                {train12.substr(std::string(TFM_CH12).size()) + " --out " + de_en + " --resume",
                 "holds a translation training run, not a language-model training run"}});
    // The seed is the program's flag, before the command; a resumed run refuses another.
    check_rows(TFM_CH10, {{"--seed 5" + train10.substr(std::string(TFM_CH10).size()) + " --out " +
                               de_en + " --resume",
                           "--seed 5, the run's 0: a resumed run keeps the settings"}});
    check_rows(TFM_CH12, {{"--seed 5" + train12.substr(std::string(TFM_CH12).size()) + " --out " +
                               lm + " --resume",
                           "--seed 5, the run's 0: a resumed run keeps the settings"}});
    // A save killed between its two renames leaves a run only under a temporary name. A
    // program that only reads it names that copy and how to put it back, and moves nothing.
    const auto interrupted = [](const std::string& run_dir, const std::string& name) {
        return run_dir + ": no such checkpoint directory, but " + name +
               ".tmp.999999999 beside it is the complete copy an interrupted save left: rename "
               "it to " +
               run_dir;
    };
    fs::rename(de_en, de_en + ".tmp.999999999");
    check_rows(TFM_CH10,
               {{"translate --checkpoint " + de_en + " < /dev/null", interrupted(de_en, "de-en")}});
    check_rows(TFM_CH11,
               {{"translate --checkpoint " + de_en + " < /dev/null", interrupted(de_en, "de-en")}});
    check_rows(TFM_CH10, {{"average --checkpoint " + de_en + " --last 1 --out " + dir / "avg",
                           interrupted(de_en, "de-en")}});
    fs::rename(lm, lm + ".tmp.999999999");
    check_rows(TFM_CH12, {{"sample --checkpoint " + lm, interrupted(lm, "lm")}});
    check_rows(TFM_CH14, {{"sample --checkpoint " + lm, interrupted(lm, "lm")}});
    CHECK_FALSE(fs::exists(lm));
    fs::rename(de_en + ".tmp.999999999", de_en);
    // A new run there finds it, puts it back and refuses it.
    check_rows(TFM_CH12, {{train12.substr(std::string(TFM_CH12).size()) + " --out " + lm,
                           "already holds a language-model training run"}});
    CHECK(read_file(de_en + "/state.json") == state10);
    CHECK(read_file(lm + "/state.json") == state12);
    // Asked in so many words: --overwrite replaces a run of the same kind.
    CHECK(run(train10 + " --out " + de_en + " --overwrite --warmup 7").status == 0);
    CHECK(read_file(de_en + "/state.json") != state10);
}

TEST_CASE("chapter 10: no data left, NUL blocks, unprintable bytes, a directory on stdin") {
    const ScratchDirectory dir("bad10");
    const std::string data = dir / "data";
    REQUIRE(run(TFM_CH10 + std::string(" made-up --pairs 60 --out ") + data).status == 0);
    REQUIRE(run(TFM_CH10 + std::string(" train --data ") + data + kTinyTranslator + " --out " +
                dir / "run")
                .status == 0);
    fs::create_directory(dir / "nul");
    for (const char* name : {"val.de.gz", "val.en.gz", "train.en.gz"})
        fs::copy_file(data + "/" + name, dir / ("nul/" + std::string(name)));
    write_lines_gz(dir / "nul/train.de.gz", read_lines(data + "/train.de.gz"));
    std::vector<std::string> damaged = read_lines(data + "/train.de.gz");
    damaged[4] = damaged[4].substr(0, 3) + std::string(4096, '\0');
    write_lines_gz(dir / "nul/train.de.gz", damaged);
    fs::create_directories(dir / "binary/vocab");
    fs::copy_file(dir / "run/translation.json", dir / "binary/translation.json");
    write_text(dir / "binary/vocab/src.vocab", "<s>\x1b[31mred\x0b\r\n</s>\n");
    check_rows(TFM_CH10, {{"train --data " + data + " --out " + dir / "short" + kTinyTranslator +
                               " --max-len 3",
                           "--max-len 3: all 60 training pairs are longer than that"},
                          {"train --data " + dir / "nul" + " --out " + dir / "r2" + kTinyTranslator,
                           "train.de.gz:5: a NUL byte at byte 4 of the line"},
                          {"translate --checkpoint " + dir / "binary",
                           "expected the special token <s>, got '<s>\\x1B[31mred\\x0B\\x0D'"},
                          {"translate --checkpoint " + dir / "run" + " < " + data,
                           "standard input: cannot be read: Is a directory"}});
    CHECK_FALSE(fs::exists(dir / "short"));
    // Nothing raw: the escape character never reaches the terminal.
    const Run binary = run(TFM_CH10 + std::string(" translate --checkpoint ") + dir / "binary");
    CHECK(binary.output.find('\x1b') == std::string::npos);
}

TEST_CASE("chapters 10 and 13: what can be found before the data are read is found before") {
    const ScratchDirectory dir("early10");
    const std::string data = dir / "data", out = dir / "run";
    REQUIRE(run(TFM_CH10 + std::string(" made-up --pairs 60 --out ") + data).status == 0);
    REQUIRE(run(TFM_CH10 + std::string(" train --data ") + data + kTinyTranslator + " --out " + out)
                .status == 0);
    const std::string state = read_file(out + "/state.json");
    // A finished run trains nothing and says so; it needs no data to find that out.
    const Run finished = run(TFM_CH10 + std::string(" train --data ") + dir / "nowhere" +
                             kTinyTranslator + " --out " + out + " --resume");
    INFO(finished.output);
    CHECK(finished.status == 0);
    CHECK(finished.output.find(out + " has trained 1 epochs (--epochs 1): nothing left to train") !=
          std::string::npos);
    CHECK(read_file(out + "/state.json") == state);
    // The run remembers how far it was to go: without --epochs it is still finished.
    const Run remembered = run(TFM_CH10 + std::string(" train --data ") + dir / "nowhere" +
                               " --out " + out + " --resume");
    CHECK(remembered.status == 0);
    CHECK(remembered.output.find("nothing left to train") != std::string::npos);
    // A flag that would change the run's settings or model is refused, not ignored; one
    // that says what the run has is accepted.
    check_rows(TFM_CH10,
               {{"train --data " + data + " --out " + out + " --resume --epochs 2 --budget 999",
                 "--budget 999, the run's 200: a resumed run keeps the settings it was started "
                 "with (leave the flag out, or start a new run)"},
                {"train --data " + data + " --out " + out + " --resume --epochs 2 --exact",
                 "--layers 6, the run's 1: a resumed run keeps"}});
    CHECK(read_file(out + "/state.json") == state);
    const Run longer = run(TFM_CH10 + std::string(" train --data ") + data + " --out " + out +
                           " --resume --epochs 2 --budget 200");
    INFO(longer.output);
    CHECK(longer.status == 0);
    CHECK(longer.output.find("epoch  2/2") != std::string::npos);
    // Weights that overflow: chapter 13 stops as chapter 10 does, saying what is saved.
    fs::copy(out, dir / "diverge", fs::copy_options::recursive);
    const std::string weight = dir / "diverge/model/generator.proj.weight.npy";
    const NpyArray w = read_npy(weight);
    const std::vector<float> huge(w.data.size() / sizeof(float), 3e38f);
    write_file_atomically(weight, format_npy(DType::Float32, w.shape, huge.data(), w.data.size()));
    check_rows(TFM_CH13, {{"train --data " + data + " --out " + dir / "diverge --resume --epochs 3",
                           "; the last good save is intact in " + dir / "diverge"}});
    // The model is recorded twice, in settings.json and model/config.json: they must agree.
    nlohmann::json config = nlohmann::json::parse(read_file(out + "/model/config.json"));
    config["dropout"] = 0.25;
    write_text(out + "/model/config.json", config.dump());
    check_rows(TFM_CH10, {{"train --data " + data + " --out " + out + " --resume --epochs 3",
                           out + "/model/config.json does not match the model in " + out +
                               "/settings.json (dropout: 0.10000000149011612 against 0.25)"}});
    // --data names no directory: each of these is found first.
    check_rows(TFM_CH10, {{"train --data " + dir / "nowhere" + " --out " + dir / "r --heads 7",
                           "model config: h = 7 must divide d_model = 256"},
                          {"made-up --out " + data,
                           data + "/train.de.gz: already exists; the made-up language is "
                                  "written only to new files"}});
    check_rows(TFM_CH13, {{"train --data " + dir / "nowhere" + " --out " + dir / "r --accumulate 2",
                           "--accumulate 2: the data-parallel run takes one optimiser step per "
                           "batch"}});
    CHECK_FALSE(fs::exists(dir / "r"));
    // bench times at most one epoch's batches, and says so when it was asked for more.
    const Run bench =
        run(TFM_CH13 + std::string(" bench --data ") + data +
            " --layers 1 --d-model 16 --d-ff 32 --heads 2 --budget 200 --steps 99999");
    INFO(bench.output);
    CHECK(bench.status == 0);
    CHECK(bench.output.find(" steps (one epoch) | ") != std::string::npos);
}

TEST_CASE("standard output carries only what was asked for: n lines in, n lines out") {
    const ScratchDirectory dir("stdout");
    const std::string data = dir / "data";
    REQUIRE(run(TFM_CH10 + std::string(" made-up --pairs 60 --out ") + data).status == 0);
    REQUIRE(run(TFM_CH10 + std::string(" train --data ") + data + kTinyTranslator + " --out " +
                dir / "run")
                .status == 0);
    write_text(dir / "in.txt", "ba ko .\n\nko ba ba .\n");
    for (const std::string& program : {std::string(TFM_CH10), std::string(TFM_CH11)}) {
        INFO(program);
        const Run piped =
            run(program + " translate --checkpoint " + dir / "run" + " < " + dir / "in.txt",
                " 2>/dev/null");
        CHECK(piped.status == 0);
        CHECK(count_lines(piped.output) == 3);
        // A blank line has nothing to translate: its translation is blank too, not
        // whatever the model makes of <s> </s> alone.
        write_text(dir / "blank.txt", "\n  \n");
        const Run blank = run(
            program + " translate --checkpoint " + dir / "run" + " --input " + dir / "blank.txt",
            " 2>/dev/null");
        CHECK(blank.status == 0);
        CHECK(blank.output == "\n\n");
        CHECK(piped.output.find("Chapter") == std::string::npos);
        const Run from_file =
            run(program + " translate --checkpoint " + dir / "run" + " --input " + dir / "in.txt",
                " 2>/dev/null");
        CHECK(from_file.output == piped.output);
        // Translations that cannot be written are an error, not a silent success.
        const Run full =
            run(program + " translate --checkpoint " + dir / "run" + " --input " + dir / "in.txt",
                " 2>&1 >/dev/full");
        CHECK(full.status == 1);
        CHECK(full.output.find("error: standard output: write failed") != std::string::npos);
    }
    // Checked before any work: a blank line to look inside, a length penalty without a
    // beam, a list of sentences that ends in a comma or names one the split lacks.
    const std::string checkpoint = " --checkpoint " + dir / "run";
    check_rows(TFM_CH11,
               {{"inspect" + checkpoint + " --input " + dir / "in.txt",
                 "input line 2: nothing to translate: the sentence is empty"},
                {"translate --checkpoint " + dir / "nowhere" + " --alpha 1",
                 "--alpha is beam search's length penalty; greedy search (--beam 1) has none"},
                {"attention" + checkpoint + " --data " + data + " --out " + dir / "maps" +
                     " --sentences 0,",
                 "--sentences: expected sentence numbers separated by commas, got '0,'"},
                {"attention" + checkpoint + " --data " + data + " --out " + dir / "maps" +
                     " --sentences 0,99999",
                 "--sentences: the test split has sentences 0 to"}});
    CHECK_FALSE(fs::exists(dir / "maps"));
    const Run inspected =
        run(TFM_CH11 + std::string(" inspect") + checkpoint + " --input " + dir / "in.txt",
            " 2>/dev/null");
    CHECK(inspected.status == 1);
    CHECK(inspected.output.empty());  // not the first line's inspection, then an error
    std::ofstream(dir / "text.txt") << std::string(300, 'a') + "\nabc abc\n";
    REQUIRE(run(TFM_CH12 + std::string(" train --data ") + dir / "text.txt" + kTinyLanguageModel +
                " --out " + dir / "lm")
                .status == 0);
    const Run sample = run(
        TFM_CH12 + std::string(" sample --checkpoint ") + dir / "lm" + " --prompt abc --tokens 20",
        " 2>/dev/null");
    CHECK(sample.status == 0);
    CHECK(sample.output.rfind("abc", 0) == 0);  // the sample, and nothing before it
    CHECK(sample.output.size() == 3 + 20 + 1);
}

TEST_CASE(
    "chapter 12: a resumed run keeps its state, characters and text, and ends with a prompt it can "
    "spell") {
    const ScratchDirectory dir("bad12");
    // A text without 'R' (no "ROMEO:" to close with): the run ends with a sample anyway.
    std::ofstream(dir / "lower.txt") << std::string(300, 'a') + "\nromeo: abc\n";
    const Run lower = run(TFM_CH12 + std::string(" train --data ") + dir / "lower.txt" +
                          kTinyLanguageModel + " --out " + dir / "lm");
    INFO(lower.output);
    REQUIRE(lower.status == 0);
    CHECK(lower.output.find("is not in the vocabulary") == std::string::npos);
    // Another text with as many characters: refused, the run's characters are the run's.
    std::ofstream(dir / "same_size.txt") << std::string(300, 'b') + "\nROMEO: ABC\n";
    // A state.json whose evaluations are gone.
    fs::create_directory(dir / "empty");
    REQUIRE(run(TFM_CH12 + std::string(" train --data ") + dir / "lower.txt" + kTinyLanguageModel +
                " --out " + dir / "empty")
                .status == 0);
    nlohmann::json state = nlohmann::json::parse(read_file(dir / "empty/state.json"));
    state["evaluations"] = nlohmann::json::array();
    write_text(dir / "empty/state.json", state.dump());
    // A vocabulary longer than the model's table.
    fs::create_directory(dir / "wide");
    REQUIRE(run(TFM_CH12 + std::string(" train --data ") + dir / "lower.txt" + kTinyLanguageModel +
                " --out " + dir / "wide")
                .status == 0);
    write_text(dir / "wide/vocabulary.txt", read_file(dir / "wide/vocabulary.txt") + "xyz");
    std::ofstream(dir / "accent.txt") << std::string(300, 'a') + "\nxy\xC3\xA9\n";
    check_rows(
        TFM_CH12,
        {{"train --data " + dir / "accent.txt" + kTinyLanguageModel,
          "--data " + dir / "accent.txt" + ":2: byte 195 at byte 3 of the line is not ASCII"},
         {"train --data " + dir / "same_size.txt" + tiny_language_model(3) + " --out " +
              dir / "lm" + " --resume",
          "is not in the vocabulary"},
         {"train --data " + dir / "lower.txt" + tiny_language_model(3) + " --out " + dir / "empty" +
              " --resume",
          "field 'evaluations' must be a non-empty list"},
         {"sample --checkpoint " + dir / "wide", "each id would stand for another character"}});
}
