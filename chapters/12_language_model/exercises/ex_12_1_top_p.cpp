// Exercise 12.1 (extension) — nucleus sampling: top-p instead of top-k.
//
// Top-k keeps the same number of characters whatever the model thinks: ten after "th",
// where one or two are plausible, and ten after a space, where dozens are. Holtzman et
// al. (2020) keep instead the smallest set of tokens that holds a share p of the
// probability — the "nucleus" — so the set is small when the model is sure and large
// when it is not. Write the filter: it returns logits that chapter 12's sampler can draw
// from as they are.
//
// Test it with:  scripts/exercises 12.1
#include <stdexcept>

#include "exercises.hpp"

namespace tfm::exercises {

std::vector<float> top_p_filter(const std::vector<float>& logits, double p) {
    // TODO(ex 12.1): the probabilities, the most probable first, and the smallest prefix
    // holding p of them; everything after it gets −infinity.
    throw std::logic_error("not implemented: exercise 12.1");
}

}  // namespace tfm::exercises
