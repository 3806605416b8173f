// Chapter 01: embeddings — lookup and √C scaling against PyTorch, the scatter-add
// backward (against PyTorch and by finite differences), names, and bad ids.
#include <catch2/catch.hpp>

#include <cmath>

#include <xtensor/xview.hpp>

#include "00_tensors/gradcheck.hpp"
#include "01_embeddings/embeddings.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::fixture;
using tfm::testing::load_fixture;

namespace {
Embeddings embeddings_from_fixture() {
    Rng rng(0);
    Embeddings embed(7, 6, rng, "src_embed.0.");
    embed.lut.value = load_fixture<2>("ch01", "embed_lut");
    return embed;
}
}  // namespace

TEST_CASE("the table has the Annotated Transformer's name and nn.Embedding's layout") {
    Rng rng(0);
    Embeddings embed(11, 8, rng, "src_embed.0.");
    REQUIRE(embed.parameters().size() == 1);
    CHECK(embed.parameters()[0]->name == "src_embed.0.lut.weight");
    CHECK(embed.lut.value.shape() == std::vector<std::size_t>{11, 8});  // [V, C]
}

TEST_CASE("forward is lut[ids] times sqrt(C), as PyTorch computes it") {
    Embeddings embed = embeddings_from_fixture();
    const auto ids_BL = load_npy<std::int64_t, 2>(fixture("ch01", "embed_ids"));
    const auto x_BLC = embed.forward(ids_BL);
    CHECK_CLOSE(x_BLC, load_fixture<3>("ch01", "embed_x"), 1e-6, 1e-6);
    // Position [0, 1] and [0, 3] hold the same token: the same vector.
    const Tensor<1> a = xt::view(x_BLC, 0, 1), b = xt::view(x_BLC, 0, 3);
    CHECK((a == b));
}

TEST_CASE("backward scatter-adds, so a repeated token gets both contributions") {
    Embeddings embed = embeddings_from_fixture();
    const auto ids_BL = load_npy<std::int64_t, 2>(fixture("ch01", "embed_ids"));
    const auto dy_BLC = load_fixture<3>("ch01", "embed_dy");
    embed.forward(ids_BL);
    embed.backward(dy_BLC);
    CHECK_CLOSE(embed.lut.grad, load_fixture<2>("ch01", "embed_dlut"), 1e-5, 1e-5);
    // Token 1 appears at [0, 1] and [0, 3]: its row is √C times the sum of both.
    const float s = std::sqrt(6.0f);
    for (std::size_t c = 0; c < 6; ++c) {
        CHECK(embed.lut.grad(1, c) == Approx(s * (dy_BLC(0, 1, c) + dy_BLC(0, 3, c))).margin(1e-5));
    }
    // Token 2 never appears: no gradient.
    for (std::size_t c = 0; c < 6; ++c) CHECK(embed.lut.grad(2, c) == 0.0f);
}

TEST_CASE("the table's gradient passes the gradient check") {
    Rng rng(5);
    Embeddings embed(5, 4, rng);
    const xt::xtensor<std::int64_t, 2> ids_BL = {{0, 3, 3, 1}, {4, 0, 2, 3}};
    Tensor<3> g_BLC = xt::zeros<float>({2, 4, 4});
    fill_uniform(g_BLC, -1, 1, rng);
    embed.forward(ids_BL);
    embed.backward(g_BLC);
    const xt::xarray<float> dlut = embed.lut.grad;
    const auto r = check_gradient("lut", embed.lut.value, dlut,
                                  [&] { return dot_double(embed.forward(ids_BL), g_BLC); });
    INFO(r.report);
    CHECK(r.passed);
}

TEST_CASE("an id that is negative or at least V is an error naming the id, its position and V") {
    Rng rng(0);
    Embeddings embed(11, 4, rng);
    CHECK_THROWS_WITH(embed.forward(xt::xtensor<std::int64_t, 2>{{1, 2}, {3, 11}}),
                      "Embeddings: token id 11 at [1, 1] is outside the vocabulary [0, 11)");
    CHECK_THROWS_WITH(embed.forward(xt::xtensor<std::int64_t, 2>{{-1}}),
                      "Embeddings: token id -1 at [0, 0] is outside the vocabulary [0, 11)");
    embed.forward(xt::xtensor<std::int64_t, 2>{{1, 2}});
    CHECK_THROWS_AS(embed.backward(xt::zeros<float>({1, 3, 4})), ShapeError);
}
