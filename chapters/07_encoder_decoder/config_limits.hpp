// config_limits.hpp — upper bounds on any model's configuration (chapter 07).
#pragma once

#include <cstddef>

namespace tfm {

/// Upper bounds on a configuration: far above any model this book trains, low enough
/// that a corrupt config.json cannot ask for terabytes before a tensor is read.
inline constexpr std::size_t kMaxVocab = std::size_t(1) << 22;  // 4,194,304 tokens
inline constexpr std::size_t kMaxLayers = 256;
inline constexpr std::size_t kMaxWidth = std::size_t(1) << 16;  // d_model, d_ff, h

}  // namespace tfm
