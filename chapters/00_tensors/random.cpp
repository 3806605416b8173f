// random.cpp — saving and restoring the generator's state.
#include "random.hpp"

#include <sstream>

namespace tfm {

std::string Rng::state() const {
    std::ostringstream out;
    out << engine_;
    return out.str();
}

void Rng::set_state(const std::string& text) {
    std::istringstream in(text);
    std::mt19937 engine;
    in >> engine;
    if (in.fail()) throw std::invalid_argument("Rng::set_state: malformed generator state");
    engine_ = engine;
}

}  // namespace tfm
