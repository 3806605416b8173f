// Exercise 10.3 (experiment) — how BLEU moves with the batch budget, measured.
//
// The token budget decides how many sentences share a step. For the same number of
// epochs, a small budget takes many small steps and a large one a few large steps: the
// model sees the same sentences either way. Measure what that does on the made-up
// language of chapter 10's tests, which a small model learns in seconds: train it once
// per budget and score each run's test BLEU.
//
// Predict first: with six epochs, does BLEU rise or fall as the budget grows, and by how
// much? Then look at the number of steps each run took, and at the warm-up.
//
// Test it with:  scripts/exercises 10.3
#include <stdexcept>

#include "10_translation/translation_run.hpp"
#include "10_translation/translator.hpp"
#include "exercises.hpp"

namespace tfm::exercises {

std::vector<BudgetRun> bleu_against_budget(const std::string& data_dir, const std::string& work_dir,
                                           const std::vector<std::size_t>& budgets,
                                           std::size_t epochs, std::uint64_t seed) {
    // TODO(ex 10.3): per budget, the made-up run's options with that budget and these
    // epochs, a training run, its steps, and the BLEU of its translations of the test split.
    throw std::logic_error("not implemented: exercise 10.3");
}

}  // namespace tfm::exercises
