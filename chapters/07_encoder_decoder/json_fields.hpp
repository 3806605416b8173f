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

namespace tfm {

/// Thrown for a field that is missing, mistyped or out of range; the message names it.
class JsonFieldError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

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
                             ", got " + v.dump());
    }
    throw JsonFieldError(source + ": field '" + key + "' must be" + range + ", got " + v.dump());
}

/// A finite number in [min, max] (integers are accepted as numbers).
inline double json_number(const nlohmann::json& j, const std::string& key,
                          const std::string& source, double min, double max) {
    const nlohmann::json& v = json_require(j, key, source);
    if (!v.is_number())
        throw JsonFieldError(source + ": field '" + key + "' must be a number, got " + v.dump());
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < min || x > max) {
        throw JsonFieldError(source + ": field '" + key + "' must be in [" +
                             nlohmann::json(min).dump() + ", " + nlohmann::json(max).dump() +
                             "], got " + v.dump());
    }
    return x;
}

inline std::string json_string(const nlohmann::json& j, const std::string& key,
                               const std::string& source) {
    const nlohmann::json& v = json_require(j, key, source);
    if (!v.is_string())
        throw JsonFieldError(source + ": field '" + key + "' must be a string, got " + v.dump());
    return v.get<std::string>();
}

inline bool json_bool(const nlohmann::json& j, const std::string& key, const std::string& source) {
    const nlohmann::json& v = json_require(j, key, source);
    if (!v.is_boolean())
        throw JsonFieldError(source + ": field '" + key + "' must be true or false, got " +
                             v.dump());
    return v.get<bool>();
}

/// Parses a JSON document, naming the source in the error.
inline nlohmann::json json_parse(const std::string& text, const std::string& source) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw JsonFieldError(source + ": not valid JSON: " + e.what());
    }
}

}  // namespace tfm
