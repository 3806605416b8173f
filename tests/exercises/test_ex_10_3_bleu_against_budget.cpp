// Tests for exercise 10.3 — how BLEU moves with the batch budget, measured.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "10_translation/bleu.hpp"
#include "10_translation/exercises/exercises.hpp"
#include "10_translation/made_up_language.hpp"
#include "10_translation/translation_run.hpp"
#include "10_translation/translator.hpp"

using tfm::exercises::bleu_against_budget;

namespace {
std::string file_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("exercise 10.3: each run's steps and BLEU are those of the model it saved") {
    const tfm::ScratchDirectory dir("ex10_3");
    tfm::Rng rng(103);
    const std::string data = dir / "data";
    std::filesystem::create_directory(data);
    tfm::write_made_up_corpus(data, 600, 40, 80, rng);
    const std::vector<std::size_t> budgets = {150, 600, 2400};
    const std::size_t epochs = 6;
    const auto runs = bleu_against_budget(data, dir / "runs", budgets, epochs, 3);
    REQUIRE(runs.size() == budgets.size());
    const tfm::ParallelText test = tfm::read_parallel(data, "test_2016_flickr");
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::string run_dir = dir / ("runs/budget_" + std::to_string(budgets[i]));
        INFO("budget " << budgets[i] << ": " << runs[i].steps << " steps, BLEU " << runs[i].bleu);
        CHECK(runs[i].budget == budgets[i]);
        // The saved run is the one asked for: its budget, and all its epochs.
        const auto settings = nlohmann::json::parse(file_text(run_dir + "/settings.json"));
        CHECK(settings.at("training").at("budget") == budgets[i]);
        const auto state = nlohmann::json::parse(file_text(run_dir + "/state.json"));
        CHECK(state.at("evaluations").back().at("epoch") == epochs);
        // Steps: one line per optimiser step in the run's log (after its header).
        const std::string log = file_text(run_dir + "/steps.csv");
        CHECK(runs[i].steps + 1 == std::size_t(std::count(log.begin(), log.end(), '\n')));
        // BLEU: the saved model, translating the test split.
        tfm::Translator t = tfm::load_translator(run_dir);
        CHECK(runs[i].bleu ==
              Approx(tfm::corpus_bleu(t.translate(test.src), test.tgt).score).margin(1e-9));
    }
    // One run again with the library alone: the settings were the made-up run's.
    tfm::TranslationOptions o = tfm::made_up_run_options(data, dir / "reference", 3);
    o.budget = budgets[1];
    o.epochs = epochs;
    tfm::train_translation(o);
    tfm::Translator reference = tfm::load_translator(o.out_dir);
    CHECK(runs[1].bleu ==
          Approx(tfm::corpus_bleu(reference.translate(test.src), test.tgt).score).margin(1e-6));
    // What the experiment shows: the same sentences in fewer, larger steps learn less.
    CHECK(runs[0].steps > runs[1].steps);
    CHECK(runs[1].steps > runs[2].steps);
    CHECK(runs[0].bleu > runs[2].bleu + 20.0);
}
