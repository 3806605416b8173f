// Exercise 12.2 (derivation) — loss, bits and perplexity: how low can the loss go?
//
// The training loop prints a loss in nats per character; papers quote bits per
// character or a perplexity. And what is a good loss? A model that sees no context at
// all can do no better than the text's character frequencies; one that sees the last
// character, no better than its pair statistics. Derive what the best such model is and
// what loss it gets — on paper: which distribution q minimises −Σ_v p_v ln q_v? — then
// compute that floor for a text, in the three units.
//
// Then run it on Tiny Shakespeare with 0, 1, 2 and 4 characters of context, and set
// those numbers beside the 1.92 nats the GPT reached. Careful with the last ones: what
// does a floor measured on the text itself promise about new text?
//
// Test it with:  scripts/exercises 12.2
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

LossUnits best_possible_loss(const std::vector<std::int64_t>& ids, std::size_t context) {
    // TODO(ex 12.2): count each context and each (context, next character); the best model
    // and its loss follow from the counts.
    throw std::logic_error("not implemented: exercise 12.2");
}

}  // namespace tfm::exercises
