// program.hpp — what every chapter's program shares: its flags and its error handling.
//
// Each chapter's demo takes --seed (every random draw comes from it) and --figures DIR
// (write the numbers behind the chapter's figures there; chapter 00, which draws none,
// removes it, and no command takes it), plus whatever flags it adds itself. A bad flag prints
// CLI11's usage message; any exception while running becomes one line, `ch03_attention: error:
// ...`, and exit status 1 — never a crash. Standard output carries only what was asked for; the
// title, progress and summaries go to standard error.
//
// It also tells the C library's allocator to keep the memory a program frees (see
// keep_freed_memory below): a training step allocates its large tensors afresh each
// time, and returning them to the operating system only to fault every page back in at
// the next step costs more than half of a step's time on a virtual machine.
#pragma once

#include <malloc.h>

#include <cstdint>
#include <exception>
#include <functional>
#include <iostream>
#include <string>

// Declared, not included: CLI11 is header-only, and merely including it costs every
// translation unit some five seconds of compiling at -O3 (the validators it defines as
// objects in the header are built in each one). A program that adds flags of its own
// includes <CLI/CLI.hpp> itself; those that do not (chapters 01–06, 08) never pay for it.
namespace CLI {
class App;
}

namespace tfm {

/// The flags every chapter program understands.
struct ProgramOptions {
    std::uint64_t seed = 0;   ///< --seed
    bool seed_given = false;  ///< whether --seed was named (a resumed run refuses another)
    std::string figures;      ///< --figures DIR; empty when not asked for
};

/// Refuses a --seed given for `command` ("translate"), which draws no random numbers: a
/// flag that changes nothing is an error rather than a surprise.
void refuse_seed(const ProgramOptions& options, const std::string& command);

/// Keeps freed memory inside the process for the next allocation. By default glibc
/// serves every allocation above 32 MB (a [rows, V] tensor of log-probabilities is
/// ~60 MB) with its own mmap and returns it with munmap when freed, and gives the top
/// of the heap back once more than 128 kB is free; the next step's tensors then start
/// on fresh pages, and the kernel zeroes and maps each of them on first touch. PyTorch
/// keeps a caching allocator for the same reason. Measured on the chapter 10 model,
/// this alone makes a training step 2.7 times faster.
inline void keep_freed_memory() {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);  // below 1 GiB: from the heap, reused after free
    mallopt(M_TRIM_THRESHOLD, 1 << 30);  // give memory back only past 1 GiB free at the top
}

/// Why a command-line number is not acceptable, or "" if it is. CLI11 converts with
/// strtoll/strtoull in base 0, so by itself it reads "010" as octal 8, "0x10" as 16,
/// "-1" as 18446744073709551615 for an unsigned flag, clamps a too-large value to the
/// type's maximum, and lets "nan" through any range check. Every number our programs
/// take is written in decimal, so these checks insist on exactly that. `type` is CLI11's
/// type name of the option ("UINT", "INT", "FLOAT", ...).
std::string strict_number_error(const std::string& text, const std::string& type);

/// Attaches the strict checks above to every numeric option of `app` and its
/// subcommands, and refuses empty values for every other option.
void add_strict_checks(CLI::App& app);

/// What a program says when the sizes it was asked for do not fit in memory
/// (std::bad_alloc).
inline constexpr char kOutOfMemory[] =
    "out of memory: the sizes asked for need more memory than this process may use; ask for "
    "smaller ones (the batch, the lengths, the model)";

/// Parses the common flags (and those `add_flags` declares), then runs `body`. Any
/// exception — or standard output that could not be written — is one line on standard
/// error and status 1 (std::bad_alloc: kOutOfMemory). Returns the process exit status. (Compiled
/// once, in program.cpp: CLI11's parser is heavy to instantiate in every program.)
int run_program(int argc, char** argv, const std::string& name, const std::string& title,
                const std::function<void(const ProgramOptions&)>& body,
                const std::function<void(CLI::App&)>& add_flags = {});

}  // namespace tfm
