// Chapter 00: files.hpp — atomic writes, directories replaced only when they are ours,
// links never followed, crash leftovers recovered, reads that refuse what is not a file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "00_tensors/files.hpp"
#include "test_helpers.hpp"

using namespace tfm;
namespace fs = std::filesystem;

namespace {
void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}
std::size_t entries(const std::string& dir) {
    return std::size_t(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}
// A pid far above Linux's pid_max (2^22): no process can have it.
const std::string kDeadPid = "999999999";
}  // namespace

TEST_CASE("read_file refuses what is not a readable regular file, naming the path") {
    const ScratchDirectory scratch("files");
    CHECK_THROWS_WITH(read_file(scratch / "none"), scratch / "none" + ": no such file");
    CHECK_THROWS_WITH(read_file(scratch.path()),
                      scratch.path() + ": is a directory, expected a file");
    CHECK_THROWS_WITH(read_file("/dev/zero"),
                      "/dev/zero: not a regular file (a device, FIFO or socket)");
    CHECK_THROWS_WITH(read_file(""), "the file name is empty");
    write_text(scratch / "big", std::string(100, 'x'));
    CHECK_THROWS_WITH(
        read_file(scratch / "big", 10),
        scratch / "big" + ": the file is 100 bytes, more than the 10 this reader accepts");
    CHECK(read_file(scratch / "big").size() == 100);
}

TEST_CASE("write_file_atomically replaces a file whole and leaves nothing beside it") {
    const ScratchDirectory scratch("files");
    write_file_atomically(scratch / "a.txt", "first");
    write_file_atomically(scratch / "a.txt", "second");
    CHECK(read_file(scratch / "a.txt") == "second");
    CHECK(entries(scratch.path()) == 1);
    CHECK_THROWS_WITH(write_file_atomically(scratch.path(), "x"),
                      Catch::Contains("is a directory"));
    CHECK_THROWS_WITH(write_file_atomically(scratch / "missing/a.txt", "x"),
                      Catch::Contains("cannot create file"));
}

TEST_CASE("replace_directory writes a marked directory and replaces only its own kind") {
    const ScratchDirectory scratch("files");
    const std::string dir = scratch / "run";
    replace_directory(dir, "test run", [](const std::string& tmp) { write_text(tmp + "/a", "1"); });
    CHECK(directory_kind(dir) == "test run");
    CHECK(read_file(dir + "/a") == "1");
    replace_directory(dir + "/", "test run",
                      [](const std::string& tmp) { write_text(tmp + "/b", "2"); });
    CHECK_FALSE(fs::exists(dir + "/a"));
    CHECK(read_file(dir + "/b") == "2");
    CHECK(entries(scratch.path()) == 1);  // no temporary or old copy left beside it

    SECTION("a directory that is not ours is refused and left untouched") {
        const std::string mine = scratch / "photos";
        fs::create_directory(mine);
        write_text(mine + "/cat.jpg", "meow");
        CHECK_THROWS_WITH(replace_directory(mine, "test run", [](const std::string&) {}),
                          Catch::Contains("is a directory this program did not write") &&
                              Catch::Contains("refusing to replace it"));
        CHECK(read_file(mine + "/cat.jpg") == "meow");
        CHECK_THROWS_WITH(
            check_output_directory(mine, "test run", "--out"),
            Catch::StartsWith("--out " + mine + ": ") && Catch::Contains("did not write"));
    }
    SECTION("a directory of another kind is refused") {
        CHECK_THROWS_WITH(replace_directory(dir, "model checkpoint", [](const std::string&) {}),
                          Catch::Contains("holds a test run, not a model checkpoint"));
    }
    SECTION("an empty directory, or none, may be written") {
        fs::create_directory(scratch / "empty");
        CHECK_NOTHROW(check_output_directory(scratch / "empty", "test run", "--out"));
        CHECK_NOTHROW(check_output_directory(scratch / "new", "test run", "--out"));
        CHECK_THROWS_WITH(check_output_directory(scratch / "no/such/parent", "test run", "--out"),
                          Catch::Contains("does not exist"));
        CHECK_THROWS_WITH(check_output_directory("", "test run", "--out"),
                          "--out: the path is empty");
    }
    SECTION("the current directory, or one that holds it, is never replaced") {
        const fs::path before = fs::current_path();
        fs::create_directories(scratch / "empty/inner");
        fs::current_path(scratch / "empty/inner");
        for (const std::string& d : {std::string("."), std::string(".."), scratch / "empty"}) {
            INFO(d);
            CHECK_THROWS_WITH(check_output_directory(d, "test run", "--out"),
                              "--out: '" + d +
                                  "' is the current directory or holds it, and cannot be "
                                  "replaced; name a directory of its own");
            CHECK_THROWS_AS(replace_directory(d, "test run", [](const std::string&) {}), FileError);
        }
        CHECK_NOTHROW(check_output_directory("sub", "test run", "--out"));
        // Reached through a symbolic link, it is still the current directory.
        fs::create_directory_symlink(scratch / "empty", scratch / "alias");
        CHECK_THROWS_WITH(check_output_directory(scratch / "alias/inner", "test run", "--out"),
                          Catch::Contains("is the current directory or holds it"));
        fs::current_path(before);
        CHECK(fs::is_directory(scratch / "empty/inner"));
    }
    SECTION("a symbolic link inside the directory is removed as a link, its target untouched") {
        const std::string precious = scratch / "precious";
        fs::create_directory(precious);
        write_text(precious + "/data", "keep me");
        fs::create_directory_symlink(precious, dir + "/link");
        replace_directory(dir, "test run",
                          [](const std::string& tmp) { write_text(tmp + "/c", "3"); });
        CHECK(read_file(precious + "/data") == "keep me");
        CHECK_FALSE(fs::exists(fs::symlink_status(dir + "/link")));
    }
    SECTION("a symbolic link as the target is refused") {
        fs::create_directory_symlink(dir, scratch / "alias");
        CHECK_THROWS_WITH(
            replace_directory(scratch / "alias", "test run", [](const std::string&) {}),
            Catch::Contains("is a symbolic link"));
    }
    SECTION("if filling fails, the old directory is untouched and no temporary remains") {
        CHECK_THROWS_WITH(
            replace_directory(dir, "test run",
                              [](const std::string&) { throw FileError("disk full"); }),
            "disk full");
        CHECK(read_file(dir + "/b") == "2");
        CHECK(entries(scratch.path()) == 1);
    }
}

TEST_CASE("recover_directory repairs what a killed save leaves behind") {
    const ScratchDirectory scratch("files");
    const std::string dir = scratch / "run";
    auto make_copy = [&](const std::string& path, const std::string& value) {
        replace_directory(path, "test run",
                          [&](const std::string& tmp) { write_text(tmp + "/v", value); });
    };
    SECTION("killed between the two renames: the complete new copy is put in place") {
        make_copy(dir + ".old." + kDeadPid, "old");
        make_copy(dir + ".tmp." + kDeadPid, "new");
        // A reader is only told which copy would be put back; nothing moves.
        CHECK(interrupted_save_of(dir) == dir + ".tmp." + kDeadPid);
        CHECK(interrupted_save_of(dir + "/") == dir + ".tmp." + kDeadPid);
        CHECK(entries(scratch.path()) == 2);
        const std::string said = recover_directory(dir);
        CHECK_THAT(said, Catch::Contains("recovered") && Catch::Contains("complete new"));
        CHECK(read_file(dir + "/v") == "new");
        CHECK(entries(scratch.path()) == 1);  // the old copy was removed too
    }
    SECTION("a save repairs first, then checks what it would replace") {
        // The only copy of a run of another kind, under a killed save's temporary name:
        // put back, then refused, never saved over.
        replace_directory(dir + ".tmp." + kDeadPid, "other run",
                          [&](const std::string& tmp) { write_text(tmp + "/v", "theirs"); });
        CHECK_THROWS_WITH(make_copy(dir, "mine"),
                          "cannot save into " + dir + ": '" + dir +
                              "' holds a other run, not a test run; choose another directory "
                              "(recovered " +
                              dir + " from run.tmp." + kDeadPid +
                              ", the complete new version an interrupted save left)");
        CHECK(read_file(dir + "/v") == "theirs");
        CHECK(entries(scratch.path()) == 1);
    }
    SECTION("the copy of a save still running is no leftover, and no run at all leaves none") {
        CHECK(interrupted_save_of(dir).empty());
        CHECK(interrupted_save_of(scratch / "none/run").empty());       // no such parent either
        make_copy(dir + ".tmp." + std::to_string(::getppid()), "new");  // a live process
        CHECK(interrupted_save_of(dir).empty());
        CHECK(recover_directory(dir).empty());
        CHECK(entries(scratch.path()) == 1);
    }
    SECTION("an empty directory made in the run's place since holds nothing to keep") {
        make_copy(dir + ".tmp." + kDeadPid, "new");
        fs::create_directory(dir);
        CHECK(interrupted_save_of(dir) == dir + ".tmp." + kDeadPid);
        CHECK_THAT(recover_directory(dir), Catch::Contains("complete new"));
        CHECK(read_file(dir + "/v") == "new");
    }
    SECTION("killed while writing the new copy: the old one comes back") {
        make_copy(dir + ".old." + kDeadPid, "old");
        fs::create_directory(dir + ".tmp." + kDeadPid);  // incomplete: still in progress
        write_text(dir + ".tmp." + kDeadPid + "/.annotated-transformer-saving", "");
        write_text(dir + ".tmp." + kDeadPid + "/half", "x");
        CHECK(interrupted_save_of(dir) == dir + ".old." + kDeadPid);  // not the incomplete one
        CHECK_THAT(recover_directory(dir), Catch::Contains("previous version"));
        CHECK(read_file(dir + "/v") == "old");
        CHECK(entries(scratch.path()) == 1);
        CHECK(interrupted_save_of(dir).empty());  // the run is there: nothing to put back
    }
    SECTION("stale temporaries beside a good directory are removed, and nothing else is touched") {
        make_copy(dir, "good");
        fs::create_directory(dir + ".tmp." + kDeadPid);
        fs::create_directory(scratch / "run.tmp.notapid");
        CHECK_THAT(recover_directory(dir), Catch::Contains("removed 1 stale temporary directory"));
        CHECK(read_file(dir + "/v") == "good");
        CHECK(fs::exists(scratch / "run.tmp.notapid"));
    }
    SECTION("a directory of the reader's own with a temporary's name is left alone") {
        make_copy(dir, "good");
        fs::create_directory(dir + ".tmp." + kDeadPid);
        write_text(dir + ".tmp." + kDeadPid + "/notes.txt", "mine");
        CHECK(recover_directory(dir) == "left run.tmp." + kDeadPid + " beside " + dir +
                                            ": not marked as a save of this book (remove it "
                                            "yourself if it is one)");
        CHECK(read_file(dir + ".tmp." + kDeadPid + "/notes.txt") == "mine");
        make_copy(dir, "again");  // a save beside it neither removes it nor fails
        CHECK(read_file(dir + ".tmp." + kDeadPid + "/notes.txt") == "mine");
        CHECK(read_file(dir + "/v") == "again");
    }
    SECTION("a complete save leaves no in-progress file") {
        make_copy(dir, "good");
        CHECK_FALSE(fs::exists(dir + "/.annotated-transformer-saving"));
    }
    SECTION("nothing to do") {
        make_copy(dir, "good");
        CHECK(recover_directory(dir).empty());
    }
}

TEST_CASE("a kind names a training run when it ends with training run") {
    CHECK(is_training_run_kind("translation training run"));
    CHECK(is_training_run_kind("training run"));
    CHECK_FALSE(is_training_run_kind("translation model"));
    CHECK_FALSE(is_training_run_kind("training run copy"));
    CHECK_FALSE(is_training_run_kind(""));
}

TEST_CASE("a scratch directory is removed when it goes out of scope") {
    std::string path;
    {
        const ScratchDirectory scratch("files");
        path = scratch.path();
        write_text(scratch / "f", "x");
        CHECK(fs::exists(path));
    }
    CHECK_FALSE(fs::exists(path));
}

TEST_CASE("output paths are checked before the work: no link, no directory, not inside a run") {
    const ScratchDirectory scratch("files");
    const std::string run = scratch / "run";
    replace_directory(run, "test run", [](const std::string& tmp) { write_text(tmp + "/a", "1"); });
    write_text(scratch / "keep.txt", "mine");
    fs::create_symlink(scratch / "keep.txt", scratch / "link");
    CHECK_NOTHROW(check_output_file(scratch / "new.txt", "--output"));
    CHECK_NOTHROW(check_output_file(scratch / "keep.txt", "--output"));  // replacing is asked
    CHECK_THROWS_WITH(
        check_output_file(scratch / "link", "--output"),
        "--output " + scratch / "link" + ": is a symbolic link; give the file itself");
    CHECK_THROWS_WITH(check_output_file(run, "--output"), "--output " + run + ": is a directory");
    CHECK_THROWS_WITH(check_output_file(scratch / "none/x.txt", "--output"),
                      Catch::Contains("its directory '" + scratch / "none" + "' does not exist"));
    // Whatever is put inside a run is lost when the run is next saved whole.
    const std::string inside = ": it is inside " + run +
                               ", a test run that is replaced whole at its next save; write it "
                               "elsewhere";
    CHECK_THROWS_WITH(check_output_file(run + "/hyps.txt", "--output"),
                      "--output " + run + "/hyps.txt" + inside);
    CHECK_THROWS_WITH(create_output_directory(run + "/maps", "--out"),
                      "--out " + run + "/maps" + inside);
    CHECK_THROWS_WITH(check_output_directory(run + "/inner", "test run", "--out"),
                      "--out " + run + "/inner" + inside);
    CHECK_FALSE(fs::exists(run + "/maps"));
    CHECK_THROWS_WITH(create_output_directory(run, "--out"),
                      "--out " + run +
                          ": it holds a test run, which is replaced whole at its next save; write "
                          "elsewhere");
    CHECK_NOTHROW(check_output_directory(run + "/", "test run", "--out"));  // the run itself
    CHECK_THROWS_WITH(create_output_directory(scratch / "keep.txt", "--out"),
                      "--out " + scratch / "keep.txt" + ": exists and is not a directory");
    CHECK_NOTHROW(create_output_directory(scratch / "a/b", "--out"));
    CHECK(fs::is_directory(scratch / "a/b"));
}
