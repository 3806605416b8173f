// Tests for exercise 12.1 — nucleus sampling: top-p instead of top-k.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <stdexcept>

#include "12_language_model/exercises/exercises.hpp"
#include "12_language_model/sampling.hpp"

using tfm::exercises::top_p_filter;

namespace {
// Which logits survive (are finite).
std::set<std::size_t> kept(const std::vector<float>& z) {
    std::set<std::size_t> out;
    for (std::size_t v = 0; v < z.size(); ++v)
        if (std::isfinite(z[v])) out.insert(v);
    return out;
}
std::vector<float> logits_of(const std::vector<double>& probs) {
    std::vector<float> z;
    for (double q : probs) z.push_back(float(std::log(q)));
    return z;
}
}  // namespace

TEST_CASE("exercise 12.1: the smallest set of the most probable tokens that holds p") {
    // Probabilities 0.15, 0.5, 0.05, 0.3 (in that order).
    const std::vector<float> z = logits_of({0.15, 0.5, 0.05, 0.3});
    CHECK(kept(top_p_filter(z, 0.3)) == std::set<std::size_t>{1});
    CHECK(kept(top_p_filter(z, 0.7)) == std::set<std::size_t>{1, 3});
    CHECK(kept(top_p_filter(z, 0.9)) == std::set<std::size_t>{0, 1, 3});
    CHECK(kept(top_p_filter(z, 0.97)) == std::set<std::size_t>{0, 1, 2, 3});
    CHECK(kept(top_p_filter(z, 1.0)) == std::set<std::size_t>{0, 1, 2, 3});
    // Survivors keep their logits; the others are −infinity.
    const std::vector<float> f = top_p_filter(z, 0.7);
    CHECK(f[1] == z[1]);
    CHECK(f[3] == z[3]);
    CHECK((f[0] < 0 && std::isinf(f[0])));
}

TEST_CASE("exercise 12.1: a sure model keeps few tokens, an unsure one many; ties; large logits") {
    CHECK(kept(top_p_filter(logits_of({0.96, 0.01, 0.01, 0.01, 0.01}), 0.9)).size() == 1);
    CHECK(kept(top_p_filter(std::vector<float>(10, 0.0f), 0.55)).size() == 10);  // all tied
    CHECK(kept(top_p_filter(logits_of({0.4, 0.2, 0.2, 0.2}), 0.5)) ==
          std::set<std::size_t>{0, 1, 2, 3});  // 0.4 + 0.2 reaches p; its ties stay
    CHECK(kept(top_p_filter({1000.0f, 999.0f, 0.0f}, 0.8)) == std::set<std::size_t>{0, 1});
    CHECK_THROWS_AS(top_p_filter({}, 0.5), std::invalid_argument);
    CHECK_THROWS_AS(top_p_filter({1.0f, 2.0f}, 0.0), std::invalid_argument);
}

TEST_CASE("exercise 12.1: the chapter's sampler draws only from the nucleus") {
    const std::vector<float> z = logits_of({0.02, 0.4, 0.03, 0.35, 0.2});
    const std::vector<float> f = top_p_filter(z, 0.9);
    tfm::Rng rng(12);
    std::set<std::size_t> seen;
    for (int i = 0; i < 2000; ++i)
        seen.insert(std::size_t(tfm::sample_token(f.data(), 5, 1.0, 0, rng)));
    CHECK(seen == std::set<std::size_t>{1, 3, 4});
}
