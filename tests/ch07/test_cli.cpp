// Chapter 07: the model's command line — forward and greedy on a PyTorch-made checkpoint,
// and one-line errors with a non-zero exit for bad flags, files and inputs.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "00_tensors/npy.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::fixture;
using tfm::testing::load_fixture;

namespace {
struct Run {
    int status;
    std::string output;  // stdout and stderr together
};
Run run(const std::string& args) {
    const std::string command = std::string(TFM_CH07_PROGRAM) + " " + args + " 2>&1";
    Run r{-1, ""};
    if (FILE* p = ::popen(command.c_str(), "r")) {
        std::array<char, 4096> buf{};
        while (std::fgets(buf.data(), buf.size(), p)) r.output += buf.data();
        const int s = ::pclose(p);
        r.status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    }
    return r;
}
const std::string kCheckpoint = std::string(TFM_FIXTURES_DIR) + "/ch07/small_checkpoint";
}  // namespace

TEST_CASE("forward writes the log-probabilities PyTorch computes") {
    const ScratchDirectory scratch("cli");
    const std::string out = scratch / "logp.npy";
    const Run r =
        run("forward --checkpoint " + kCheckpoint + " --src " + fixture("ch07", "small_src") +
            " --tgt " + fixture("ch07", "small_tgt") + " --pad 0 --out " + out);
    INFO(r.output);
    REQUIRE(r.status == 0);
    const auto logp = load_npy<float, 3>(out);
    CHECK_CLOSE(logp, load_fixture<3>("ch07", "small_logp"), 1e-4, 1e-4);
}

TEST_CASE("greedy writes [B, max-len] int64 ids starting with the start token") {
    const ScratchDirectory scratch("cli");
    const std::string out = scratch / "ys.npy";
    const Run r = run("greedy --checkpoint " + kCheckpoint + " --src " +
                      fixture("ch07", "small_src") + " --pad 0 --start 1 --max-len 6 --out " + out);
    INFO(r.output);
    REQUIRE(r.status == 0);
    const auto ys = load_npy<std::int64_t, 2>(out);
    REQUIRE(ys.shape() == std::array<std::size_t, 2>{2, 6});
    CHECK(ys(0, 0) == 1);
    CHECK(ys(1, 0) == 1);
    for (auto t : ys) CHECK((t >= 0 && t < 13));
}

TEST_CASE("bad flags and missing or malformed inputs give one line and a non-zero exit") {
    const ScratchDirectory scratch("cli");
    const std::string dir = scratch.path();
    const std::string src = fixture("ch07", "small_src");
    SECTION("an unknown flag") {
        const Run r = run("forward --checkpoint " + kCheckpoint + " --src " + src + " --tgt " +
                          src + " --pad 0 --out " + dir + "/o.npy --bogus");
        CHECK(r.status != 0);
        CHECK(r.output.find("--bogus") != std::string::npos);
    }
    SECTION("a missing required flag") {
        const Run r = run("greedy --checkpoint " + kCheckpoint + " --src " + src +
                          " --pad 0 --out " + dir + "/o.npy");
        CHECK(r.status != 0);
        CHECK(r.output.find("--start") != std::string::npos);
    }
    SECTION("a checkpoint that does not exist") {
        const Run r = run("forward --checkpoint " + dir + "/none --src " + src + " --tgt " + src +
                          " --pad 0 --out " + dir + "/o.npy");
        CHECK(r.status != 0);
        CHECK(r.output.find("none") != std::string::npos);
    }
    SECTION("float ids instead of int64") {
        const Run r =
            run("forward --checkpoint " + kCheckpoint + " --src " + fixture("ch07", "small_w") +
                " --tgt " + src + " --pad 0 --out " + dir + "/o.npy");
        CHECK(r.status == 1);
        CHECK(r.output.find("ch07_encoder_decoder: error: --src: ") != std::string::npos);
        CHECK(r.output.find("expected dtype int64, got float32") != std::string::npos);
    }
    SECTION("a token id outside the vocabulary") {
        save_npy(dir + "/big.npy", xt::xtensor<std::int64_t, 2>{{1, 2, 99}});
        const Run r = run("greedy --checkpoint " + kCheckpoint + " --src " + dir +
                          "/big.npy --pad 0 --start 1 --max-len 3 --out " + dir + "/o.npy");
        CHECK(r.status == 1);
        CHECK(r.output.find("token id 99 at [0, 2] is outside the vocabulary [0, 11)") !=
              std::string::npos);
    }
    SECTION("batches of different sizes") {
        save_npy(dir + "/one.npy", xt::xtensor<std::int64_t, 2>{{1, 2}});
        const Run r = run("forward --checkpoint " + kCheckpoint + " --src " + src + " --tgt " +
                          dir + "/one.npy --pad 0 --out " + dir + "/o.npy");
        CHECK(r.status == 1);
        CHECK(r.output.find("--src has 2 sequences but --tgt has 1") != std::string::npos);
    }
}
