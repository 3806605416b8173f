// program_runs.hpp — the bad-input suite's way of running the built programs: a command
// line in, its status and its output (standard error too) back, and tables of command
// lines that must each fail with a given piece of message.
#pragma once

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <sys/wait.h>

#include <catch2/catch.hpp>

namespace tfm::testing {

namespace fs = std::filesystem;

struct Run {
    int status;
    std::string output;
};
// Runs a command; `streams` " 2>&1" captures standard error too, " 2>/dev/null" only
// standard output.
inline Run run(const std::string& command, const std::string& streams = " 2>&1") {
    Run r{-1, ""};
    if (FILE* p = ::popen((command + streams).c_str(), "r")) {
        std::array<char, 4096> buf{};
        while (std::fgets(buf.data(), buf.size(), p)) r.output += buf.data();
        const int s = ::pclose(p);
        r.status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    }
    return r;
}
inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

struct Row {
    std::string args;      ///< after the program's path
    std::string expected;  ///< a piece of the message
};

inline void check_rows(const std::string& program, const std::vector<Row>& rows) {
    for (const Row& row : rows) {
        const Run r = run(program + " " + row.args);
        INFO(fs::path(program).filename().string() << " " << row.args << "\n" << r.output);
        CHECK(r.status != 0);
        CHECK(r.status != -1);  // a signal (a crash) is never an answer
        CHECK(r.output.find(row.expected) != std::string::npos);
        CHECK(r.output.find("terminate called") == std::string::npos);
    }
}

// A tiny translation run and a tiny language-model run, made by the programs themselves.
inline const std::string kTinyTranslator =
    " --epochs 1 --layers 1 --d-model 16 --d-ff 32 --heads 2 --bleu-sentences 0 --budget 200";
// Each flag once (a flag given twice is an error): a longer run takes tiny_language_model(n).
inline std::string tiny_language_model(std::size_t iterations) {
    return " --max-iters " + std::to_string(iterations) +
           " --eval-interval 1 --eval-iters 1 --batch-size 2 --block-size 8 --layers 1 "
           "--d-model 16 --heads 2";
}
inline const std::string kTinyLanguageModel = tiny_language_model(2);
inline std::size_t count_lines(const std::string& text) {
    return std::size_t(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace tfm::testing
