// program.hpp — what every chapter's program shares: its flags and its error handling.
//
// Each chapter's demo takes --seed (every random draw comes from it) and --figures DIR
// (write the numbers behind the chapter's figures there), plus whatever flags it adds
// itself. A bad flag prints CLI11's usage message; any exception while running becomes
// one line, `ch03_attention: error: ...`, and exit status 1 — never a crash. Standard
// output carries only what was asked for; the title, progress and summaries go to
// standard error.
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

#include <CLI/CLI.hpp>

namespace tfm {

/// The flags every chapter program understands.
struct ProgramOptions {
    std::uint64_t seed = 0;  ///< --seed
    std::string figures;     ///< --figures DIR; empty when not asked for
};

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
/// take is written in decimal, so these checks insist on exactly that.
inline std::string strict_number_error(const std::string& text, const std::string& type) {
    const bool is_unsigned = type.rfind("UINT", 0) == 0,
               is_signed = !is_unsigned && type.rfind("INT", 0) == 0;
    const bool is_float = type.rfind("FLOAT", 0) == 0;
    if (text.empty()) return "an empty value where a number is expected";
    if (is_unsigned || is_signed) {
        std::size_t i = (is_signed && text[0] == '-') ? 1 : 0;
        const std::string digits = text.substr(i);
        if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
            return "'" + text + "' is not a whole number written in decimal" +
                   (is_unsigned ? " (no sign)" : "");
        }
        if (digits.size() > 1 && digits[0] == '0')
            return "'" + text + "' has a leading zero (octal is not read)";
        // Overflow, checked digit by digit against the type's limit.
        const unsigned long long limit =
            is_unsigned ? ~0ULL : (i ? 9223372036854775808ULL : 9223372036854775807ULL);
        unsigned long long value = 0;
        for (char c : digits) {
            const unsigned long long d = static_cast<unsigned long long>(c - '0');
            if (value > (limit - d) / 10) return "'" + text + "' is too large";
            value = value * 10 + d;
        }
        return "";
    }
    if (is_float) {
        // [-]digits[.digits][e[±]digits], nothing else: no nan, inf or hexadecimal floats.
        std::size_t i = text[0] == '-' ? 1 : 0, digits = 0;
        auto run = [&] {
            std::size_t n = 0;
            while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++n;
            return n;
        };
        digits += run();
        if (i < text.size() && text[i] == '.') ++i, digits += run();
        if (digits > 0 && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
            ++i;
            if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
            if (run() == 0) digits = 0;
        }
        if (digits == 0 || i != text.size()) return "'" + text + "' is not a decimal number";
    }
    return "";
}

/// Attaches the strict checks above to every numeric option of `app` and its
/// subcommands, and refuses empty values for every other option.
inline void add_strict_checks(CLI::App& app) {
    for (CLI::Option* option : app.get_options()) {
        if (option->get_items_expected_max() == 0) continue;  // a flag without a value
        const std::string type = option->get_type_name();
        option->check(CLI::Validator(
            [type](std::string& text) {
                if (type.rfind("UINT", 0) == 0 || type.rfind("INT", 0) == 0 ||
                    type.rfind("FLOAT", 0) == 0) {
                    return strict_number_error(text, type);
                }
                return text.empty() ? std::string("an empty value") : std::string();
            },
            ""));
    }
    for (CLI::App* sub : app.get_subcommands({})) add_strict_checks(*sub);
}

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
    add_strict_checks(app);
    CLI11_PARSE(app, argc, argv);
    keep_freed_memory();
    try {
        // The title goes to standard error with all progress: standard output carries only
        // what a command was asked for (translations, samples, tables), so it can be piped.
        std::cerr << title << "\n";
        body(options);
    } catch (const std::exception& e) {
        std::cerr << name << ": error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace tfm
