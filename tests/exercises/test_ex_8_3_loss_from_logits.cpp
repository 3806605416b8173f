// Tests for exercise 8.3 — label smoothing taken straight from the logits.
#include <catch2/catch.hpp>

#include <cmath>

#include "00_tensors/gradcheck.hpp"
#include "00_tensors/random.hpp"
#include "08_training/exercises/exercises.hpp"
#include "08_training/loss.hpp"

using tfm::Tensor;

using tfm::exercises::smoothed_loss_from_logits;

TEST_CASE("exercise 8.3: plain cross-entropy (no smoothing) of equal logits, by hand") {
    // Four equal logits: p = 1/4 each. The label 1 gets q = 1, so the loss is log 4 and the
    // gradient is p − q.
    const Tensor<2> z = {{0.0f, 0.0f, 0.0f, 0.0f}};
    const xt::xtensor<std::int64_t, 1> y = {1};
    const auto got = smoothed_loss_from_logits(z, y, 0, 0.0f);
    CHECK(got.loss == Approx(std::log(4.0)));
    REQUIRE(got.dz_NV.size() == 4);
    CHECK(got.dz_NV(0, 0) == Approx(0.25f));
    CHECK(got.dz_NV(0, 1) == Approx(-0.75f));
    CHECK(got.dz_NV(0, 2) == Approx(0.25f));
    CHECK(got.dz_NV(0, 3) == Approx(0.25f));
}

TEST_CASE("exercise 8.3: the loss and the gradient of the chapter's fused LabelSmoothing") {
    const std::size_t N = 4, V = 6;
    tfm::Rng rng(83);
    Tensor<2> z = xt::zeros<float>({N, V});
    tfm::fill_uniform(z, -3.0f, 3.0f, rng);
    z(3, 2) = 1000.0f;                                    // a logit of 1000 must not overflow
    const xt::xtensor<std::int64_t, 1> y = {2, 0, 5, 1};  // row 1's label is the padding class 0
    // The chapter's LabelSmoothing on the same rows as one [1, N, V] batch; it overwrites
    // the logits with ∂loss/∂z.
    Tensor<3> z_1NV = Tensor<3>::from_shape({1, N, V});
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t v = 0; v < V; ++v) z_1NV(0, n, v) = z(n, v);
    const xt::xtensor<std::int64_t, 2> y_1N = {{2, 0, 5, 1}};
    tfm::LabelSmoothing criterion(V, 0, 0.2f);
    const double expected_loss = criterion.forward_backward_logits(z_1NV, y_1N, 1.0f);
    const auto got = smoothed_loss_from_logits(z, y, 0, 0.2f);
    CHECK(std::isfinite(got.loss));
    CHECK(got.loss == Approx(expected_loss).epsilon(1e-5));
    REQUIRE(got.dz_NV.shape()[0] == N);
    REQUIRE(got.dz_NV.shape()[1] == V);
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t v = 0; v < V; ++v)
            CHECK(got.dz_NV(n, v) == Approx(z_1NV(0, n, v)).margin(1e-5));
}

TEST_CASE("exercise 8.3: the gradient passes the gradient check, and a padding row gets none") {
    tfm::Rng rng(84);
    Tensor<2> z = xt::zeros<float>({3, 7});
    tfm::fill_uniform(z, -2.0f, 2.0f, rng);
    const xt::xtensor<std::int64_t, 1> y = {4, 0, 6};  // row 1 is padding
    const auto got = smoothed_loss_from_logits(z, y, 0, 0.1f);
    REQUIRE(got.dz_NV.size() == z.size());
    for (std::size_t v = 0; v < 7; ++v) CHECK(got.dz_NV(1, v) == 0.0f);
    const auto r = tfm::check_gradient(
        "z", z, got.dz_NV, [&] { return smoothed_loss_from_logits(z, y, 0, 0.1f).loss; });
    INFO(r.report);
    CHECK(r.passed);
}
