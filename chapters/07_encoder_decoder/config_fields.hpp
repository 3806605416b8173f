// config_fields.hpp — one table of fields per configuration (chapter 07).
//
// A configuration — the model's sizes, a training run's settings — travels through a
// program in several forms: command-line flags, a config.json written with a checkpoint,
// the same file read back (strictly: it is user input), a check of its ranges, and a
// comparison ("was this run saved with the model we are resuming with?"). Written by
// hand, each form is another list of the same fields, and the lists drift apart: a field
// added to the struct and forgotten in the comparison is a bug nobody sees.
//
// So each configuration describes its fields once, in a FieldTable: the JSON key, the
// member, the range of allowed values, and (optionally) the command-line flag and its
// help text. Everything else comes from the table:
//
//     to_json(config)            {"N": 3, "d_model": 256, ...} in the table's order
//     from_json(j, source)       every field present, of its type and in its range, and no
//                                field the table does not know; errors name source and field
//     check(config)              the ranges, for a configuration built in code
//     difference(a, b)           "" or the first field that differs, with both values
//     add_flags(app, config)     (config_flags.hpp) one CLI11 option per flagged field
//
// A configuration type exposes its table as `static const FieldTable<Config>& fields()`,
// the same interface for the encoder-decoder's ModelConfig and chapter 12's GPTConfig.
// Rules that tie two fields together (h must divide d_model) stay in the type's own
// validate().
#pragma once

#include <algorithm>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_fields.hpp"

namespace tfm {

/// The C++ type behind a field, for the code that binds fields to flags.
enum class FieldKind { Size, Uint64, Double, Float, Bool, Text };

template <class Config>
class FieldTable {
public:
    struct Field {
        std::string key;   ///< the JSON key
        std::string flag;  ///< the command-line flag ("--d-model"), or "" for none
        std::string help;  ///< the flag's help text
        FieldKind kind = FieldKind::Size;
        double min = 0, max = 0;                ///< the range (numbers)
        std::vector<std::string> choices;       ///< the allowed values (text)
        bool optional = false;                  ///< may be missing from a file
        std::function<void*(Config&)> address;  ///< the member, for flag binding
        std::function<nlohmann::json(const Config&)> get;
        /// Reads the field from object `j` into the config, strictly.
        std::function<void(Config&, const nlohmann::json& j, const std::string& source)> read;
        /// "" if the config's value is in range, else why not.
        std::function<std::string(const Config&)> check;
    };

    /// An integer member (std::size_t or std::uint64_t) in [min, max].
    template <class T>
    FieldTable& integer(const char* key, T Config::*member, std::uint64_t min, std::uint64_t max,
                        const char* flag = "", const char* help = "") {
        static_assert(std::is_same_v<T, std::size_t> || std::is_same_v<T, std::uint64_t>);
        Field f = base(key, flag, help,
                       std::is_same_v<T, std::size_t> ? FieldKind::Size : FieldKind::Uint64);
        f.min = double(min);
        f.max = double(max);
        f.address = [member](Config& c) -> void* { return &(c.*member); };
        f.get = [member](const Config& c) { return nlohmann::json(std::uint64_t(c.*member)); };
        f.read = [member, key, min, max](Config& c, const nlohmann::json& j,
                                         const std::string& source) {
            c.*member = T(json_integer(j, key, source, min, max));
        };
        f.check = [member, key, min, max](const Config& c) {
            const std::uint64_t v = std::uint64_t(c.*member);
            return v >= min && v <= max
                       ? std::string()
                       : std::string(key) + " must be in [" + std::to_string(min) + ", " +
                             std::to_string(max) + "], got " + std::to_string(v);
        };
        fields_.push_back(std::move(f));
        return *this;
    }

    /// A floating-point member (double or float) in [min, max].
    template <class T>
    FieldTable& number(const char* key, T Config::*member, double min, double max,
                       const char* flag = "", const char* help = "") {
        static_assert(std::is_same_v<T, double> || std::is_same_v<T, float>);
        Field f =
            base(key, flag, help, std::is_same_v<T, double> ? FieldKind::Double : FieldKind::Float);
        f.min = min;
        f.max = max;
        f.address = [member](Config& c) -> void* { return &(c.*member); };
        f.get = [member](const Config& c) { return nlohmann::json(c.*member); };
        f.read = [member, key, min, max](Config& c, const nlohmann::json& j,
                                         const std::string& source) {
            c.*member = T(json_number(j, key, source, min, max));
        };
        f.check = [member, key, min, max](const Config& c) {
            const double v = double(c.*member);
            return v >= min && v <= max
                       ? std::string()
                       : std::string(key) + " must be in [" + nlohmann::json(min).dump() + ", " +
                             nlohmann::json(max).dump() + "], got " + nlohmann::json(v).dump();
        };
        fields_.push_back(std::move(f));
        return *this;
    }

    FieldTable& boolean(const char* key, bool Config::*member, const char* flag = "",
                        const char* help = "") {
        Field f = base(key, flag, help, FieldKind::Bool);
        f.address = [member](Config& c) -> void* { return &(c.*member); };
        f.get = [member](const Config& c) { return nlohmann::json(c.*member); };
        f.read = [member, key](Config& c, const nlohmann::json& j, const std::string& source) {
            c.*member = json_bool(j, key, source);
        };
        f.check = [](const Config&) { return std::string(); };
        fields_.push_back(std::move(f));
        return *this;
    }

    /// A text member restricted to `choices`.
    FieldTable& text(const char* key, std::string Config::*member, std::vector<std::string> choices,
                     const char* flag = "", const char* help = "") {
        Field f = base(key, flag, help, FieldKind::Text);
        f.choices = choices;
        f.address = [member](Config& c) -> void* { return &(c.*member); };
        f.get = [member](const Config& c) { return nlohmann::json(c.*member); };
        auto allowed = [choices](const std::string& v) {
            for (const std::string& c : choices)
                if (c == v) return true;
            return false;
        };
        auto listing = [choices] {
            std::string s;
            for (const std::string& c : choices) s += (s.empty() ? "" : ", ") + ("\"" + c + "\"");
            return s;
        };
        f.read = [member, key, allowed, listing](Config& c, const nlohmann::json& j,
                                                 const std::string& source) {
            const std::string v = json_string(j, key, source);
            if (!allowed(v)) {
                throw JsonFieldError(source + ": field '" + key + "' must be one of " + listing() +
                                     ", got " + nlohmann::json(v).dump());
            }
            c.*member = v;
        };
        f.check = [member, key, allowed, listing](const Config& c) {
            return allowed(c.*member) ? std::string()
                                      : std::string(key) + " must be one of " + listing() +
                                            ", got \"" + c.*member + "\"";
        };
        fields_.push_back(std::move(f));
        return *this;
    }

    /// Marks the field added last as optional in files (files written before it existed
    /// keep the default).
    FieldTable& optional() {
        fields_.back().optional = true;
        return *this;
    }

    const std::vector<Field>& fields() const { return fields_; }

    /// The configuration as a JSON object, fields in the table's order.
    nlohmann::ordered_json to_json(const Config& c) const {
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        for (const Field& f : fields_) j[f.key] = f.get(c);
        return j;
    }

    /// Reads a configuration from object `j`, starting from `defaults`: every field the
    /// table has must be there (unless optional), with its type and in its range, and no
    /// other field may be. Errors are JsonFieldErrors naming `source` and the field.
    Config from_json(const nlohmann::json& j, const std::string& source,
                     Config defaults = Config()) const {
        if (!j.is_object())
            throw JsonFieldError(source + ": expected a JSON object, got " + j.type_name());
        for (auto it = j.begin(); it != j.end(); ++it) {
            bool known = false;
            for (const Field& f : fields_) known = known || f.key == it.key();
            if (!known)
                throw JsonFieldError(source + ": unknown field '" + printable(it.key()) + "'");
        }
        for (const Field& f : fields_) {
            if (f.optional && !j.contains(f.key)) continue;
            f.read(defaults, j, source);
        }
        return defaults;
    }

    /// "" if every field is in its range, else the first that is not (for configurations
    /// built in code; from_json checks as it reads).
    std::string check(const Config& c) const {
        for (const Field& f : fields_) {
            const std::string why = f.check(c);
            if (!why.empty()) return why;
        }
        return "";
    }

    /// "" if the two configurations are equal, else the first field that differs, as
    /// "d_model: 256 against 128".
    std::string difference(const Config& a, const Config& b) const {
        for (const Field& f : fields_) {
            const nlohmann::json x = f.get(a), y = f.get(b);
            if (x != y) return f.key + ": " + x.dump() + " against " + y.dump();
        }
        return "";
    }

    /// Of the fields whose flags are in `flags` (those named on a command line), the first
    /// whose value in `asked` differs from its value in `kept`: "" if none, else its flag
    /// and both values, as "--budget 2000, the run's 600".
    std::string flag_conflict(const Config& asked, const Config& kept,
                              const std::vector<std::string>& flags) const {
        for (const Field& f : fields_) {
            if (!named(f, flags)) continue;
            const nlohmann::json x = f.get(asked), y = f.get(kept);
            if (x != y) return f.flag + " " + x.dump() + ", the run's " + y.dump();
        }
        return "";
    }

    /// `to` with the fields whose flags are in `flags` taken from `from`.
    Config with_flags_from(Config to, const Config& from,
                           const std::vector<std::string>& flags) const {
        for (const Field& f : fields_) {
            if (!named(f, flags)) continue;
            nlohmann::json j = nlohmann::json::object();
            j[f.key] = f.get(from);
            f.read(to, j, "");
        }
        return to;
    }

private:
    static bool named(const Field& f, const std::vector<std::string>& flags) {
        return !f.flag.empty() && std::find(flags.begin(), flags.end(), f.flag) != flags.end();
    }

    Field base(const char* key, const char* flag, const char* help, FieldKind kind) const {
        for (const Field& f : fields_) {
            if (f.key == key)
                throw std::logic_error(std::string("FieldTable: field '") + key + "' twice");
        }
        Field f;
        f.key = key;
        f.flag = flag;
        f.help = help;
        f.kind = kind;
        return f;
    }

    std::vector<Field> fields_;
};

/// Reads a configuration from the text of a config.json: strict JSON, the table's fields
/// (Config::fields()), then the rules between fields (Config::validate()). Every problem
/// is a JsonFieldError naming `source`.
template <class Config>
Config parse_config(const std::string& text, const std::string& source) {
    Config c = Config::fields().from_json(json_parse(text, source), source);
    try {
        c.validate();
    } catch (const std::invalid_argument& e) {
        throw JsonFieldError(source + ": " + e.what());
    }
    return c;
}

/// The first difference between two JSON objects, key by key in the first one's order
/// (nested objects are compared key by key too, with their keys joined by '.'): "" if
/// they are equal, else "training.budget: 3000 against 2000". Keys missing on one side
/// are differences. Works for nlohmann::json and nlohmann::ordered_json.
template <class Json>
std::string json_difference(const Json& a, const Json& b, const std::string& prefix = "") {
    auto key_of = [&](const std::string& key) {
        return prefix.empty() ? printable(key) : prefix + "." + printable(key);
    };
    if (a.is_object() && b.is_object()) {
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!b.contains(it.key()))
                return key_of(it.key()) + ": " + json_shown(it.value()) + " against nothing";
            const std::string d = json_difference(it.value(), b.at(it.key()), key_of(it.key()));
            if (!d.empty()) return d;
        }
        for (auto it = b.begin(); it != b.end(); ++it) {
            if (!a.contains(it.key()))
                return key_of(it.key()) + ": nothing against " + json_shown(it.value());
        }
        return "";
    }
    if (a == b) return "";
    return (prefix.empty() ? std::string("value") : prefix) + ": " + json_shown(a) + " against " +
           json_shown(b);
}

}  // namespace tfm
