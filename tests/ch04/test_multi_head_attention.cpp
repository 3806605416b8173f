// Chapter 04: multi-head attention — names and layout, split/merge, self- and
// cross-attention against PyTorch (outputs, weights, all gradients), gradient checks,
// and errors.
#include <catch2/catch.hpp>

#include "00_tensors/gradcheck.hpp"
#include "04_multi_head_attention/multi_head_attention.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using tfm::testing::fixture;
using tfm::testing::load_fixture;

namespace {
void load_weights(MultiHeadedAttention& mha, const std::string& name) {
    for (int i = 0; i < 4; ++i) {
        const std::string p = name + "_linears." + std::to_string(i) + ".";
        mha.linears[i].weight.value = load_fixture<2>("ch04", p + "weight");
        mha.linears[i].bias.value = load_fixture<1>("ch04", p + "bias");
    }
}
void check_weight_grads(MultiHeadedAttention& mha, const std::string& name) {
    for (int i = 0; i < 4; ++i) {
        const std::string p = name + "_grad_linears." + std::to_string(i) + ".";
        INFO("linears." << i);
        CHECK_CLOSE(mha.linears[i].weight.grad, load_fixture<2>("ch04", p + "weight"), 1e-5, 1e-4);
        CHECK_CLOSE(mha.linears[i].bias.grad, load_fixture<1>("ch04", p + "bias"), 1e-5, 1e-4);
    }
}
// The self-attention fixture: PyTorch's module (3 heads, C = 12) and its input, whose
// mask pads some keys.
struct SelfAttentionFixture {
    Rng rng{0};
    MultiHeadedAttention mha{3, 12, 0.0f, rng};
    Tensor<3> x = load_fixture<3>("ch04", "self_query");
    xt::xtensor<bool, 3> mask = load_npy<bool, 3>(fixture("ch04", "self_mask"));
    Tensor<3> dout = load_fixture<3>("ch04", "self_dout");
    SelfAttentionFixture() { load_weights(mha, "self"); }
};
}  // namespace

TEST_CASE("the projections are linears.0..3 with PyTorch's names and [out, in] layout") {
    Rng rng(0);
    MultiHeadedAttention mha(8, 512, 0.1f, rng, "decoder.layers.1.src_attn.");
    const ParameterList params = mha.parameters();
    REQUIRE(params.size() == 8);
    CHECK(params[0]->name == "decoder.layers.1.src_attn.linears.0.weight");
    CHECK(params[7]->name == "decoder.layers.1.src_attn.linears.3.bias");
    CHECK(params[2]->value.shape() == std::vector<std::size_t>{512, 512});
    CHECK(count_scalars(params) == 4 * (512 * 512 + 512));
}

TEST_CASE("split_heads gives head h the channels h*K..h*K+K-1, and merge_heads undoes it") {
    Tensor<3> x_BLC = xt::zeros<float>({2, 3, 6});
    for (std::size_t i = 0; i < x_BLC.size(); ++i) x_BLC.data()[i] = float(i);
    const auto x_BHLK = split_heads(x_BLC, 3);
    REQUIRE(x_BHLK.shape() == std::array<std::size_t, 4>{2, 3, 3, 2});
    CHECK(x_BHLK(1, 2, 1, 0) == x_BLC(1, 1, 4));
    CHECK((merge_heads(x_BHLK) == x_BLC));
    CHECK_THROWS_WITH(split_heads(x_BLC, 4), "split_heads: 6 channels do not split into 4 heads");
}

TEST_CASE("self-attention matches the Annotated Transformer's module (3 heads, padding)") {
    SelfAttentionFixture f;
    auto& [rng, mha, x, mask, dout] = f;
    const auto out = mha.forward(x, x, x, mask);
    CHECK_CLOSE(out, load_fixture<3>("ch04", "self_out"), 1e-5, 1e-5);
    CHECK_CLOSE(mha.attention_weights(), load_fixture<4>("ch04", "self_attn"), 1e-6, 1e-5);
    const auto grads = mha.backward(dout);
    // x was query, key and value: its gradient is the sum of the three.
    const Tensor<3> dx = grads.dquery_BLC + grads.dkey_BMC + grads.dvalue_BMC;
    CHECK_CLOSE(dx, load_fixture<3>("ch04", "self_dquery"), 1e-5, 1e-4);
    check_weight_grads(mha, "self");
}

TEST_CASE("forward_self and backward_self: PyTorch's values, the general path's, x kept once") {
    SelfAttentionFixture f;
    auto& [rng, mha, x, mask, dout] = f;
    // The general path first, its results kept.
    const Tensor<3> out_general = mha.forward(x, x, x, mask);
    const MultiHeadGrads g = mha.backward(dout);
    const Tensor<3> dx_general = g.dquery_BLC + g.dkey_BMC + g.dvalue_BMC;
    std::vector<xt::xarray<float>> grads_general;
    for (Parameter* p : mha.parameters()) {
        grads_general.push_back(p->grad);
        p->zero_grad();
    }
    // The self-attention path: the same products, so the same output to the bit, and x's
    // gradient summed inside the products instead of afterwards (rounding apart, equal).
    const Tensor<3> out = mha.forward_self(x, mask);
    CHECK((out == out_general));
    CHECK_CLOSE(out, load_fixture<3>("ch04", "self_out"), 1e-5, 1e-5);
    const Tensor<3> dx = mha.backward_self(dout);
    CHECK_CLOSE(dx, dx_general, 1e-6, 1e-6);
    CHECK_CLOSE(dx, load_fixture<3>("ch04", "self_dquery"), 1e-5, 1e-4);
    check_weight_grads(mha, "self");
    const ParameterList params = mha.parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
        INFO(params[i]->name);
        CHECK_CLOSE(params[i]->grad, grads_general[i], 1e-6, 1e-6);
    }
    // Each forward allows only its own backward: W_K and W_V kept no input of their own.
    CHECK_THROWS_WITH(mha.backward(dout),
                      "MultiHeadedAttention: the last forward was "
                      "forward_self; its backward is backward_self");
    mha.forward(x, x, x, mask);
    CHECK_THROWS_WITH(mha.backward_self(dout),
                      "MultiHeadedAttention: backward_self after a "
                      "forward that was not forward_self");
}

TEST_CASE("cross-attention matches PyTorch with a memory of another length (M = 6, L = 4)") {
    Rng rng(0);
    MultiHeadedAttention mha(2, 8, 0.0f, rng);
    load_weights(mha, "cross");
    const auto query = load_fixture<3>("ch04", "cross_query");
    const auto memory = load_fixture<3>("ch04", "cross_memory");
    const auto mask = load_npy<bool, 3>(fixture("ch04", "cross_mask"));
    const auto out = mha.forward(query, memory, memory, mask);
    CHECK(out.shape() == std::array<std::size_t, 3>{2, 4, 8});
    CHECK(mha.attention_weights().shape() == std::array<std::size_t, 4>{2, 2, 4, 6});
    CHECK_CLOSE(out, load_fixture<3>("ch04", "cross_out"), 1e-5, 1e-5);
    const auto grads = mha.backward(load_fixture<3>("ch04", "cross_dout"));
    CHECK_CLOSE(grads.dquery_BLC, load_fixture<3>("ch04", "cross_dquery"), 1e-5, 1e-4);
    const Tensor<3> dmemory = grads.dkey_BMC + grads.dvalue_BMC;
    CHECK_CLOSE(dmemory, load_fixture<3>("ch04", "cross_dmemory"), 1e-5, 1e-4);
    check_weight_grads(mha, "cross");
}

TEST_CASE("backward passes the gradient check for inputs and every projection") {
    Rng rng(3);
    MultiHeadedAttention mha(3, 6, 0.0f, rng);
    Tensor<3> q = xt::zeros<float>({2, 3, 6}), m = xt::zeros<float>({2, 4, 6});
    Tensor<3> g = xt::zeros<float>({2, 3, 6});
    for (auto* t : {&q, &m, &g}) fill_uniform(*t, -1, 1, rng);
    const xt::xtensor<bool, 3> mask = {{{true, true, true, false}}, {{true, true, true, true}}};
    auto loss = [&] { return dot_double(mha.forward(q, m, m, mask), g); };
    loss();
    const auto grads = mha.backward(g);
    const Tensor<3> dm = grads.dkey_BMC + grads.dvalue_BMC;
    std::vector<GradCheckResult> results = {check_gradient("query", q, grads.dquery_BLC, loss),
                                            check_gradient("memory", m, dm, loss)};
    for (Parameter* p : mha.parameters()) {
        const xt::xarray<float> analytic = p->grad;
        results.push_back(check_gradient(p->name, p->value, analytic, loss));
    }
    for (const auto& r : results) {
        INFO(r.report);
        CHECK(r.passed);
    }
}

TEST_CASE("C not divisible by H, and wrong input shapes, are clear errors") {
    Rng rng(0);
    CHECK_THROWS_WITH(MultiHeadedAttention(3, 16, 0.0f, rng),
                      "MultiHeadedAttention: d_model 16 is not divisible by the number of heads 3");
    MultiHeadedAttention mha(2, 8, 0.0f, rng);
    const Tensor<3> x = xt::zeros<float>({2, 3, 8});
    CHECK_THROWS_WITH(mha.forward(xt::zeros<float>({2, 3, 6}), x, x),
                      "MultiHeadedAttention query_BLC: expected shape [*, *, 8], got [2, 3, 6]");
    CHECK_THROWS_WITH(mha.forward(x, x, xt::zeros<float>({2, 4, 8})),
                      "MultiHeadedAttention value_BMC: expected shape [2, 3, 8], got [2, 4, 8]");
}
