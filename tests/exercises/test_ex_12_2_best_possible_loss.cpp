// Tests for exercise 12.2 — loss, bits and perplexity: how low can the loss go?
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "12_language_model/exercises/exercises.hpp"

using tfm::exercises::best_possible_loss;

namespace {
std::vector<std::int64_t> repeat(const std::vector<std::int64_t>& pattern, std::size_t times) {
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < times; ++i) out.insert(out.end(), pattern.begin(), pattern.end());
    return out;
}
}  // namespace

TEST_CASE("exercise 12.2: exact floors of small texts, in nats, bits and perplexity") {
    // "aab" k times: without context, p(a) = 2/3 and p(b) = 1/3.
    const std::size_t k = 50;
    const auto aab = repeat({0, 0, 1}, k);
    const auto none = best_possible_loss(aab, 0);
    const double h0 = std::log(3.0) - 2.0 / 3.0 * std::log(2.0);
    CHECK(none.nats == Approx(h0).epsilon(1e-12));
    CHECK(none.bits == Approx(h0 / std::log(2.0)).epsilon(1e-12));
    CHECK(none.perplexity == Approx(3.0 / std::pow(2.0, 2.0 / 3.0)).epsilon(1e-12));
    // One character of context: after b comes a; after a, a or b half the time each. Of
    // the 3k − 1 predictions, 2k follow an a (k of them aa, k ab) and k − 1 follow a b.
    const auto one = best_possible_loss(aab, 1);
    CHECK(one.nats == Approx(2.0 * double(k) * std::log(2.0) / double(3 * k - 1)).epsilon(1e-12));
    // Two characters of context decide everything.
    CHECK(best_possible_loss(aab, 2).nats == Approx(0.0).margin(1e-15));
    CHECK(best_possible_loss(aab, 2).perplexity == Approx(1.0).epsilon(1e-15));
}

TEST_CASE("exercise 12.2: a uniform text is as hard as its alphabet is large; bad input") {
    const auto cycle = repeat({0, 1, 2, 3, 4, 5, 6, 7}, 40);
    CHECK(best_possible_loss(cycle, 0).perplexity == Approx(8.0).epsilon(1e-12));
    CHECK(best_possible_loss(cycle, 0).bits == Approx(3.0).epsilon(1e-12));
    CHECK(best_possible_loss(cycle, 1).nats == Approx(0.0).margin(1e-15));
    CHECK(best_possible_loss({5}, 0).nats == Approx(0.0).margin(1e-15));
    CHECK_THROWS_AS(best_possible_loss({1, 2}, 2), std::invalid_argument);
    CHECK_THROWS_AS(best_possible_loss({}, 0), std::invalid_argument);
}
