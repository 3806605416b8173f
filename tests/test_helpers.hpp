// test_helpers.hpp — shared by every chapter's tests: fixture paths and tensor
// comparisons that report the worst element, not just "not equal". Tests that need
// files use tfm::ScratchDirectory (files.hpp), removed when the test ends.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/npy.hpp"
#include "00_tensors/shapes.hpp"

namespace tfm::testing {

/// The path of a committed PyTorch fixture, e.g. fixture("ch00", "linear_y").
inline std::string fixture(const std::string& chapter, const std::string& name) {
    return std::string(TFM_FIXTURES_DIR) + "/" + chapter + "/" + name + ".npy";
}

/// Loads a float32 fixture of rank N.
template <std::size_t N>
Tensor<N> load_fixture(const std::string& chapter, const std::string& name) {
    return load_npy<float, N>(fixture(chapter, name));
}

/// Writes `bytes` to `path` as they are (no atomic rename: a test's own scratch files).
inline void write_raw(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

/// The message of the exception `f` throws, or "no error".
inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

/// Worst |a − b| / (atol + rtol·|b|) over all elements; ≤ 1 means "close".
/// Shapes must match. Used as REQUIRE_THAT-free plain checks with a readable message.
template <class TA, class TB>
std::string compare(const TA& actual, const TB& expected, double atol, double rtol, bool& ok) {
    std::ostringstream msg;
    if (actual.shape().size() != expected.shape().size() ||
        !std::equal(actual.shape().begin(), actual.shape().end(), expected.shape().begin())) {
        ok = false;
        msg << "shape " << shape_to_string(actual.shape()) << " differs from expected "
            << shape_to_string(expected.shape());
        return msg.str();
    }
    double worst = 0.0;
    std::size_t worst_i = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) {
        const double a = actual.data()[i], e = expected.data()[i];
        const double r = std::isnan(a) != std::isnan(e) ? HUGE_VAL
                         : std::isnan(a)                ? 0.0
                                         : std::abs(a - e) / (atol + rtol * std::abs(e));
        if (r > worst) {
            worst = r;
            worst_i = i;
        }
    }
    ok = worst <= 1.0;
    msg << "worst element " << worst_i << ": got "
        << (actual.size() ? double(actual.data()[worst_i]) : 0.0) << ", expected "
        << (expected.size() ? double(expected.data()[worst_i]) : 0.0) << " (atol " << atol
        << ", rtol " << rtol << ")";
    return msg.str();
}

}  // namespace tfm::testing

/// CHECK that two tensors agree elementwise within atol + rtol·|expected|.
#define CHECK_CLOSE(actual, expected, atol, rtol)                                   \
    do {                                                                            \
        bool tfm_ok_ = false;                                                       \
        const std::string tfm_msg_ =                                                \
            ::tfm::testing::compare((actual), (expected), (atol), (rtol), tfm_ok_); \
        INFO(#actual " vs " #expected ": " << tfm_msg_);                            \
        CHECK(tfm_ok_);                                                             \
    } while (false)

namespace tfm::testing {

/// CHECK_CLOSE with a tolerance relative to the largest expected value: the gradients of
/// a whole small model span many magnitudes, and an absolute floor would accept almost
/// anything (chapters 12 and 14 compare whole models so).
template <class A, class E>
void check_scaled(const A& actual, const E& expected, double rel = 1e-3) {
    double scale = 0.0;
    for (std::size_t i = 0; i < expected.size(); ++i)
        scale = std::max(scale, double(std::abs(expected.data()[i])));
    CHECK_CLOSE(actual, expected, 1e-6 + rel * scale, 0.0);
}

}  // namespace tfm::testing
