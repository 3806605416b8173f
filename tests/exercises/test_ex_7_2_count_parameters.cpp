// Tests for exercise 7.2 — how many parameters does make_model create?
#include <catch2/catch.hpp>

#include "07_encoder_decoder/exercises/exercises.hpp"

using tfm::exercises::count_model_parameters;

TEST_CASE("exercise 7.2: make_model(11, 11, 2) has 14,731,787 parameters") {
    tfm::ModelConfig c;
    c.src_vocab = c.tgt_vocab = 11;
    c.N = 2;
    CHECK(count_model_parameters(c) == 14731787);
}

TEST_CASE("exercise 7.2: agrees with a built model of another shape") {
    tfm::ModelConfig c;
    c.src_vocab = 13;
    c.tgt_vocab = 17;
    c.N = 3;
    c.d_model = 24;
    c.d_ff = 40;
    c.h = 3;
    tfm::EncoderDecoder model(c, 0);
    CHECK(count_model_parameters(c) == tfm::count_scalars(model.parameters()));
}
