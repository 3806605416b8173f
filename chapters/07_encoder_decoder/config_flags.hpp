// config_flags.hpp — a configuration's flagged fields as command-line options (chapter 07).
//
// The other half of config_fields.hpp: every field of a FieldTable that names a flag
// becomes one CLI11 option bound to the configuration's member, with the table's range
// as its check — so a flag, the JSON file and the validation can never disagree about a
// field's name or its limits.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config_fields.hpp"

namespace tfm {

/// Adds one option to `app` for every field of `table` that has a flag, bound to the
/// member of `config` (which must outlive the parsing). Returns nothing: the options
/// are found again by their flag names.
template <class Config>
void add_flags(CLI::App& app, const FieldTable<Config>& table, Config& config) {
    for (const auto& f : table.fields()) {
        if (f.flag.empty()) continue;
        void* p = f.address(config);
        CLI::Option* option = nullptr;
        switch (f.kind) {
            case FieldKind::Size:
                option = app.add_option(f.flag, *static_cast<std::size_t*>(p), f.help);
                break;
            case FieldKind::Uint64:
                option = app.add_option(f.flag, *static_cast<std::uint64_t*>(p), f.help);
                break;
            case FieldKind::Double:
                option = app.add_option(f.flag, *static_cast<double*>(p), f.help);
                break;
            case FieldKind::Float:
                option = app.add_option(f.flag, *static_cast<float*>(p), f.help);
                break;
            case FieldKind::Bool:
                app.add_flag(f.flag, *static_cast<bool*>(p), f.help);
                continue;
            case FieldKind::Text:
                option = app.add_option(f.flag, *static_cast<std::string*>(p), f.help);
                option->check(CLI::IsMember(f.choices));
                continue;
        }
        option->check(CLI::Range(f.min, f.max));
        option->capture_default_str();
    }
}

/// The flags named on `app`'s command line (after parsing), as opposed to those left at
/// their defaults: "--budget", "--epochs", ... A field table picks out its own.
inline std::vector<std::string> flags_given(const CLI::App& app) {
    std::vector<std::string> given;
    for (const CLI::Option* option : app.get_options()) {
        if (option->count() > 0) given.push_back(option->get_name());
    }
    return given;
}

}  // namespace tfm
