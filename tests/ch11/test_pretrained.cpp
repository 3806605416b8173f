// Chapter 11: the translator the book ships (data/pretrained/de-en) loads, and translates
// the project's own sentences as it did when it was committed.
//
// A CPU of another kind may round the last bit of a float differently, and a greedy
// choice between two words whose log-probabilities differ by less than that could go
// the other way. So the test is in two parts: the log-probability of each committed
// translation, teacher-forced, must agree within a tolerance (robust to any rounding);
// and the translation itself must come out word for word wherever every step's choice
// was clear (the best word ahead of the second by more than kClearMargin).
//
// The expected values are tests/fixtures/pretrained/de-en.json. After retraining the
// shipped model (scripts/train-pretrained.sh --install), write them again with
//     TFM_WRITE_EXPECTED=1 build/tests/test_ch11 "[pretrained]"
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xtensor/xadapt.hpp>

#include "00_tensors/files.hpp"
#include "03_attention/masks.hpp"
#include "10_translation/translator.hpp"
#include "11_decoding/decoding.hpp"

using namespace tfm;

namespace {

constexpr double kClearMargin = 0.05;  // nats between the best and the second-best word

const std::string kModel = std::string(TFM_SOURCE_DIR) + "/data/pretrained/de-en";
const std::string kExpected = std::string(TFM_FIXTURES_DIR) + "/pretrained/de-en.json";

// Sentences of the project's own, in the captions' style.
const std::vector<std::string> kSentences = {
    "Ein kleiner Junge springt in einen See.",
    "Zwei Frauen sitzen auf einer Bank und lesen Zeitung.",
    "Ein Mann mit einem roten Helm fährt mit dem Fahrrad einen Berg hinunter.",
    "Ein Hund rennt über eine grüne Wiese.",
    "Eine Gruppe von Menschen steht vor einem Gebäude.",
    "Ein Mädchen in einem blauen Kleid spielt Gitarre.",
};

struct Forced {
    double log_prob = 0.0;    ///< of the target ids and </s>, summed
    double min_margin = 1e9;  ///< the smallest lead of the chosen word over the runner-up
};

// The target ids teacher-forced through the model: their log-probability, and how clear
// each greedy choice along them was.
Forced teacher_forced(Translator& t, const std::string& source,
                      const std::vector<std::int64_t>& target) {
    const std::vector<std::int64_t> src = wrapped(t.codecs.src->encode(source));
    std::vector<std::int64_t> tgt_in = {kBos}, labels = target;
    tgt_in.insert(tgt_in.end(), target.begin(), target.end());
    labels.push_back(kEos);
    const xt::xtensor<std::int64_t, 2> src_1M = xt::adapt(src, {std::size_t(1), src.size()});
    const xt::xtensor<std::int64_t, 2> tgt_1L = xt::adapt(tgt_in, {std::size_t(1), tgt_in.size()});
    t.model.train(false);
    const Tensor<3> out =
        t.model.forward(src_1M, tgt_1L, padding_mask(src_1M, kPad), subsequent_mask(tgt_in.size()));
    const Tensor<3> logp_1LV = t.model.generator.forward(out);
    const std::size_t V = logp_1LV.shape()[2];
    Forced f;
    for (std::size_t l = 0; l < labels.size(); ++l) {
        const float* row = &logp_1LV(0, l, 0);
        f.log_prob += row[labels[l]];
        std::vector<float> sorted(row, row + V);
        std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<float>());
        const bool chosen_is_best = row[labels[l]] == sorted[0];
        f.min_margin = std::min(f.min_margin, chosen_is_best ? double(sorted[0] - sorted[1]) : 0.0);
    }
    return f;
}

}  // namespace

TEST_CASE("the shipped translator translates the project's sentences as committed",
          "[pretrained]") {
    Translator t = load_translator(kModel);
    CHECK(t.model.config().N == 3);
    CHECK(t.model.config().d_model == 256);
    DecodeOptions greedy;
    if (std::getenv("TFM_WRITE_EXPECTED") != nullptr) {
        nlohmann::ordered_json out = nlohmann::ordered_json::array();
        for (const std::string& s : kSentences) {
            const Hypothesis h = decode_sentences(t.model, {t.codecs.src->encode(s)}, greedy)[0];
            const Forced f = teacher_forced(t, s, h.tokens);
            out.push_back({{"source", s},
                           {"translation", t.codecs.tgt->decode(h.tokens)},
                           {"ids", h.tokens},
                           {"log_prob", f.log_prob},
                           {"min_margin", f.min_margin}});
        }
        write_file_atomically(kExpected, out.dump(2) + "\n");
        WARN("wrote " << kExpected);
    }
    const nlohmann::json expected = nlohmann::json::parse(read_file(kExpected));
    REQUIRE(expected.size() == kSentences.size());
    std::size_t clear = 0;
    for (const auto& e : expected) {
        const std::string source = e.at("source");
        const std::vector<std::int64_t> ids = e.at("ids");
        INFO(source << " → " << e.at("translation").get<std::string>());
        const Forced f = teacher_forced(t, source, ids);
        CHECK(f.log_prob == Approx(e.at("log_prob").get<double>()).margin(1e-3));
        if (e.at("min_margin").get<double>() > kClearMargin) {
            ++clear;
            const Hypothesis h =
                decode_sentences(t.model, {t.codecs.src->encode(source)}, greedy)[0];
            CHECK(h.tokens == ids);
            CHECK(t.codecs.tgt->decode(h.tokens) == e.at("translation").get<std::string>());
        }
    }
    CHECK(clear >= kSentences.size() / 2);  // the test must test translations, not only scores
}
