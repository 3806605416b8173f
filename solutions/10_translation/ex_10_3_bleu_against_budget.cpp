// Solution to exercise 10.3 — how BLEU moves with the batch budget, measured.
#include "10_translation/exercises/exercises.hpp"

#include <filesystem>

#include "10_translation/bleu.hpp"
#include "10_translation/corpus.hpp"
#include "10_translation/translation_run.hpp"
#include "10_translation/translator.hpp"

namespace tfm::exercises {

std::vector<BudgetRun> bleu_against_budget(const std::string& data_dir, const std::string& work_dir,
                                           const std::vector<std::size_t>& budgets,
                                           std::size_t epochs, std::uint64_t seed) {
    const ParallelText test = read_parallel(data_dir, kTestSplit);
    std::filesystem::create_directories(work_dir);
    std::vector<BudgetRun> runs;
    for (std::size_t budget : budgets) {
        TranslationOptions o =
            made_up_run_options(data_dir, work_dir + "/budget_" + std::to_string(budget), seed);
        o.budget = budget;
        o.epochs = epochs;
        // Every evaluation records the optimiser steps taken so far.
        const std::vector<Evaluation> evaluations = train_translation(o);
        BudgetRun result;
        result.budget = budget;
        result.steps = evaluations.back().step;
        Translator translator = load_translator(o.out_dir);
        result.bleu = corpus_bleu(translator.translate(test.src), test.tgt).score;
        runs.push_back(result);
    }
    return runs;
}

}  // namespace tfm::exercises
