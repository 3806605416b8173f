// config_fields.cpp — comparing two JSON documents field by field.
#include "config_fields.hpp"

namespace tfm {

std::string json_difference(const nlohmann::json& a, const nlohmann::json& b,
                            const std::string& prefix) {
    if (a.is_object() && b.is_object()) {
        for (auto it = a.begin(); it != a.end(); ++it) {
            const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
            if (!b.contains(it.key())) return key + ": " + it.value().dump() + " against nothing";
            const std::string d = json_difference(it.value(), b.at(it.key()), key);
            if (!d.empty()) return d;
        }
        for (auto it = b.begin(); it != b.end(); ++it) {
            if (!a.contains(it.key())) {
                const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
                return key + ": nothing against " + it.value().dump();
            }
        }
        return "";
    }
    if (a == b) return "";
    return (prefix.empty() ? std::string("value") : prefix) + ": " + a.dump() + " against " +
           b.dump();
}

}  // namespace tfm
