// program.hpp — what every chapter's program shares: its flags and its error handling.
//
// Each chapter's demo takes --seed (every random draw comes from it) and --figures DIR
// (write the numbers behind the chapter's figures there), plus whatever flags it adds
// itself. A bad flag prints CLI11's usage message; any exception while running becomes
// one line, `ch03_attention: error: ...`, and exit status 1 — never a crash.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

namespace tfm {

/// The flags every chapter program understands.
struct ProgramOptions {
    std::uint64_t seed = 0;  ///< --seed
    std::string figures;     ///< --figures DIR; empty when not asked for
};

/// Parses the common flags (and those `add_flags` declares), then runs `body`.
/// Returns the process exit status.
inline int run_program(int argc, char** argv, const std::string& name, const std::string& title,
                       const std::function<void(const ProgramOptions&)>& body,
                       const std::function<void(CLI::App&)>& add_flags = {}) {
    CLI::App app{title, name};
    ProgramOptions options;
    app.add_option("--seed", options.seed, "random seed (default 0)");
    app.add_option("--figures", options.figures, "write the figure data into this directory")
        ->check(CLI::ExistingDirectory);
    if (add_flags) add_flags(app);
    CLI11_PARSE(app, argc, argv);
    try {
        std::cout << title << "\n";
        body(options);
    } catch (const std::exception& e) {
        std::cerr << name << ": error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace tfm
