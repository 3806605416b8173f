// shakespeare_start.hpp — the start of Tiny Shakespeare and a short training recipe, for
// the exercise tests that train a small language model in about a second (12.3, 14.3).
#pragma once

#include <cstddef>
#include <string>

#include "00_tensors/text_files.hpp"
#include "12_language_model/char_text.hpp"
#include "12_language_model/lm_training.hpp"

namespace tfm::testing {

/// The first `characters` characters of the committed Tiny Shakespeare, their vocabulary,
/// and chapter 12's 90/10 split of them.
struct ShakespeareStart {
    CharVocabulary vocabulary;
    TextSplit split;
};

inline ShakespeareStart shakespeare_start(std::size_t characters = 100000) {
    const std::string text =
        read_text(std::string(TFM_SOURCE_DIR) + "/data/tinyshakespeare/input.txt.gz")
            .substr(0, characters);
    CharVocabulary vocabulary = CharVocabulary::of_text(text);
    TextSplit split = split_train_val(vocabulary.encode(text));
    return {std::move(vocabulary), std::move(split)};
}

/// Chapter 12's loop for a small model: batches of 8, a high learning rate, `iterations`
/// steps with 20 of warm-up, and one evaluation on 2 batches at each end.
inline LMOptions short_run(std::size_t iterations) {
    LMOptions o;
    o.batch_size = 8;
    o.max_iters = o.decay_iters = o.eval_interval = iterations;
    o.warmup = 20;
    o.learning_rate = 3e-3;
    o.eval_iters = 2;
    return o;
}

}  // namespace tfm::testing
