// Tests for exercise 12.1 — top-k filtering.
#include <catch2/catch.hpp>

#include <cmath>

#include "12_language_model/exercises/exercises.hpp"

using tfm::exercises::top_k_filter;

TEST_CASE("exercise 12.1: only the k largest logits survive") {
    const std::vector<float> z = {0.5f, 3.0f, -1.0f, 2.0f, 2.5f};
    const std::vector<float> top2 = top_k_filter(z, 2);
    CHECK(top2[1] == 3.0f);
    CHECK(top2[4] == 2.5f);
    for (int i : {0, 2, 3}) CHECK(std::isinf(top2[i]));
    CHECK(top2[0] < 0);
}

TEST_CASE(
    "exercise 12.1: k = 0 or k beyond the size keeps everything; ties at the threshold stay") {
    const std::vector<float> z = {1.0f, 2.0f, 2.0f, 0.0f};
    CHECK(top_k_filter(z, 0) == z);
    CHECK(top_k_filter(z, 9) == z);
    const std::vector<float> tie = top_k_filter(z, 1);
    CHECK(tie[1] == 2.0f);
    CHECK(tie[2] == 2.0f);
    CHECK(std::isinf(tie[0]));
}
