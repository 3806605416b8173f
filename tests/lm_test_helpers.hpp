// Shared by the tests of chapters 12 and 14: a text any small language model learns in
// seconds, and the check that it does.
#pragma once

#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "12_language_model/char_text.hpp"
#include "12_language_model/lm_training.hpp"

namespace tfm::testing {

/// One sentence repeated 200 times, its characters' vocabulary, and its split.
struct TinyText {
    CharVocabulary vocabulary;
    TextSplit split;
};

inline TinyText tiny_text() {
    std::string text;
    for (int i = 0; i < 200; ++i) text += "the cat sat on the mat. ";
    CharVocabulary vocabulary = CharVocabulary::of_text(text);
    TextSplit split = split_train_val(vocabulary.encode(text));
    return {std::move(vocabulary), std::move(split)};
}

/// Trains `model` (its vocabulary tiny_text()'s) for 200 iterations and checks that the
/// validation loss falls from above 2 (about log 12 at the start) to below 0.5 (a
/// repeated sentence is nearly certain).
inline void check_loss_falls(NextTokenModel& model, const TextSplit& split) {
    LMOptions o;
    o.max_iters = o.decay_iters = o.eval_interval = 200;
    o.warmup = 10;
    o.learning_rate = 3e-3;
    o.eval_iters = 5;
    const LMResult r = train_language_model(model, o, split.train, split.val);
    REQUIRE(r.evals.size() == 2);
    INFO("loss " << r.evals.front().val_loss << " -> " << r.evals.back().val_loss);
    CHECK(r.evals.front().val_loss > 2.0);
    CHECK(r.evals.back().val_loss < 0.5);
}

}  // namespace tfm::testing
