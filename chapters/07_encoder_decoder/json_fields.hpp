// json_fields.hpp — reading fields of a JSON file strictly (config.json, state.json, ...).
//
// A configuration file is user input. nlohmann::json will happily turn 11.5 into 11,
// 2^64 − 1 into −1 and 1e30 into whatever an out-of-range cast gives; these helpers
// accept a field only if it has exactly the type asked for and lies in the stated
// range, and otherwise name the file, the field, what was expected and what was found.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "00_tensors/text_files.hpp"  // printable

namespace tfm {

/// Thrown for a field that is missing, mistyped or out of range; the message names it.
class JsonFieldError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A value as an error message shows it: its JSON text, cut short after 60 characters, so
/// that a hostile or mistaken file (a megabyte-long array where a number belongs) still
/// gives an error of one readable line.
template <class Json>
std::string json_shown(const Json& v) {
    constexpr std::size_t kShown = 60;
    std::string text = v.dump(-1, ' ', true, Json::error_handler_t::replace);
    if (text.size() > kShown) text = text.substr(0, kShown) + "... (" + v.type_name() + ")";
    return text;
}

inline const nlohmann::json& json_require(const nlohmann::json& j, const std::string& key,
                                          const std::string& source) {
    if (!j.is_object())
        throw JsonFieldError(source + ": expected a JSON object, got " + j.type_name());
    const auto it = j.find(key);
    if (it == j.end()) throw JsonFieldError(source + ": missing field '" + key + "'");
    return *it;
}

/// An integer field in [min, max]: 11.5, "11", true or 1e30 are errors, not 11 or garbage.
inline std::uint64_t json_integer(const nlohmann::json& j, const std::string& key,
                                  const std::string& source, std::uint64_t min, std::uint64_t max) {
    const nlohmann::json& v = json_require(j, key, source);
    const std::string range = " in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
    if (v.is_number_unsigned()) {
        const auto x = v.get<std::uint64_t>();
        if (x >= min && x <= max) return x;
    } else if (v.is_number_integer()) {
        const auto x = v.get<std::int64_t>();
        if (x >= 0 && std::uint64_t(x) >= min && std::uint64_t(x) <= max) return std::uint64_t(x);
    } else {
        throw JsonFieldError(source + ": field '" + key + "' must be an integer" + range +
                             ", got " + json_shown(v));
    }
    throw JsonFieldError(source + ": field '" + key + "' must be" + range + ", got " +
                         json_shown(v));
}

/// A finite number in [min, max] (integers are accepted as numbers).
inline double json_number(const nlohmann::json& j, const std::string& key,
                          const std::string& source, double min, double max) {
    const nlohmann::json& v = json_require(j, key, source);
    if (!v.is_number())
        throw JsonFieldError(source + ": field '" + key + "' must be a number, got " +
                             json_shown(v));
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < min || x > max) {
        throw JsonFieldError(source + ": field '" + key + "' must be in [" +
                             nlohmann::json(min).dump() + ", " + nlohmann::json(max).dump() +
                             "], got " + json_shown(v));
    }
    return x;
}

inline std::string json_string(const nlohmann::json& j, const std::string& key,
                               const std::string& source) {
    const nlohmann::json& v = json_require(j, key, source);
    if (!v.is_string())
        throw JsonFieldError(source + ": field '" + key + "' must be a string, got " +
                             json_shown(v));
    return v.get<std::string>();
}

inline bool json_bool(const nlohmann::json& j, const std::string& key, const std::string& source) {
    const nlohmann::json& v = json_require(j, key, source);
    if (!v.is_boolean())
        throw JsonFieldError(source + ": field '" + key + "' must be true or false, got " +
                             json_shown(v));
    return v.get<bool>();
}

/// How deeply a document this book reads may nest: its own files nest 3 deep. Deeper is
/// refused while parsing, before anything (printing a value, comparing two) recurses
/// through it and runs out of stack.
inline constexpr int kMaxJsonDepth = 32;

/// Parses a JSON document, naming the source in the error: text that is not JSON, a
/// number beyond what a double holds (1e400), nesting deeper than kMaxJsonDepth.
inline nlohmann::json json_parse(const std::string& text, const std::string& source) {
    const auto depth_limit = [&source](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth >= kMaxJsonDepth) {  // the outermost value is at depth 0
            throw JsonFieldError(source + ": nested more than " + std::to_string(kMaxJsonDepth) +
                                 " deep (not a file this book writes)");
        }
        return true;
    };
    try {
        return nlohmann::json::parse(text, depth_limit);
    } catch (const nlohmann::json::exception& e) {
        // The parser's message quotes the text it stopped at, which may be long or binary.
        throw JsonFieldError(source + ": not valid JSON: " + printable(e.what(), 160));
    }
}

}  // namespace tfm
