// program.cpp — the flags every program shares, their strict checks, and the one-line
// error, compiled once.
#include "program.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <stdexcept>

#include <CLI/CLI.hpp>

#include "files.hpp"

namespace tfm {

/// Why a command-line number is not acceptable, or "" if it is. CLI11 converts with
/// strtoll/strtoull in base 0, so by itself it reads "010" as octal 8, "0x10" as 16,
/// "-1" as 18446744073709551615 for an unsigned flag, clamps a too-large value to the
/// type's maximum, and lets "nan" through any range check. Every number our programs
/// take is written in decimal, so these checks insist on exactly that.
std::string strict_number_error(const std::string& text, const std::string& type) {
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
void add_strict_checks(CLI::App& app) {
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

void refuse_seed(const ProgramOptions& options, const std::string& command) {
    if (options.seed_given) {
        throw std::invalid_argument("--seed " + std::to_string(options.seed) + ": " + command +
                                    " draws no random numbers, so a seed would change nothing");
    }
}

/// Parses the common flags (and those `add_flags` declares), then runs `body`.
/// Returns the process exit status.
int run_program(int argc, char** argv, const std::string& name, const std::string& title,
                const std::function<void(const ProgramOptions&)>& body,
                const std::function<void(CLI::App&)>& add_flags) {
    CLI::App app{title, name};
    ProgramOptions options;
    app.add_option("--seed", options.seed, "random seed (default 0)");
    app.add_option("--figures", options.figures, "write the figure data into this directory")
        ->check(CLI::ExistingDirectory);
    if (add_flags) add_flags(app);
    add_strict_checks(app);
    CLI11_PARSE(app, argc, argv);
    options.seed_given = app.get_option("--seed")->count() > 0;
    keep_freed_memory();
    try {
        // The title goes to standard error with all progress: standard output carries only
        // what a command was asked for (translations, samples, tables), so it can be piped.
        std::cerr << title << "\n";
        // The figures are the demo's; a command (train, translate, ...) draws none, and a
        // flag that does nothing is an error rather than a surprise.
        const std::vector<CLI::App*> commands = app.get_subcommands();
        if (!options.figures.empty() && !commands.empty()) {
            throw std::invalid_argument(
                "--figures writes the numbers behind the demo's figures; "
                "the " +
                commands.front()->get_name() + " command draws none");
        }
        // Before the demo: a directory the book replaces whole, or one that cannot be
        // written into, would lose the figures or fail only at the end.
        if (!options.figures.empty()) create_output_directory(options.figures, "--figures");
        body(options);
        // What could not be written is lost: a full disk behind `> out.txt` is an error
        // (with a status to match), not a silent success.
        errno = 0;
        std::cout.flush();
        const bool flushed = std::fflush(stdout) == 0;  // whatever stdio still holds
        if (!flushed || std::ferror(stdout) || !std::cout) {
            const int why = errno;  // set by the write that failed, if it was just now
            throw std::runtime_error(std::string("standard output: write failed") +
                                     (why ? std::string(": ") + std::strerror(why) : ""));
        }
    } catch (const std::bad_alloc&) {
        // A request the machine cannot hold (a batch of 10^5 windows, say) fails here, or,
        // where the system promises memory it does not have, is killed by it later.
        std::cerr << name << ": error: " << kOutOfMemory << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << name << ": error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace tfm
