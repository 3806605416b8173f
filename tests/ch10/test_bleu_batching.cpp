// Chapter 10: BLEU as sacreBLEU computes it (hand-computed cases), and token-budget
// batching (every pair once, the budget kept, deterministic).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "10_translation/batching.hpp"
#include "10_translation/bleu.hpp"
#include "10_translation/vocabulary.hpp"

using namespace tfm;

namespace {
using Tokens = std::vector<std::string>;
}

TEST_CASE(
    "13a tokenization: symbols split, periods and commas split from non-digits, a hyphen after a "
    "digit") {
    CHECK(tokenize_13a("It costs 3.5 dollars, the end.") ==
          Tokens{"It", "costs", "3.5", "dollars", ",", "the", "end", "."});
    CHECK(tokenize_13a("A 5-year-old's (tiny) dog/cat!") ==
          Tokens{"A", "5", "-", "year-old's", "(", "tiny", ")", "dog", "/", "cat", "!"});
    CHECK(tokenize_13a("&quot;Hi&quot; &amp; &lt;b&gt;") ==
          Tokens{"\"", "Hi", "\"", "&", "<", "b", ">"});
    CHECK(tokenize_13a("x.y 1,a 1,000 don't") ==
          Tokens{"x", ".", "y", "1", ",", "a", "1,000", "don't"});
    CHECK(tokenize_13a("  spaced   out \t ") == Tokens{"spaced", "out"});
    CHECK(tokenize_13a("a@b#c$d%e") == Tokens{"a", "@", "b", "#", "c", "$", "d", "%", "e"});
}

TEST_CASE("BLEU: a perfect match is 100 and no match at all is 0") {
    const BleuScore perfect = corpus_bleu({"The cat sat on the mat."}, {"The cat sat on the mat."});
    CHECK(perfect.score == Approx(100.0));
    CHECK(perfect.brevity_penalty == 1.0);
    CHECK(corpus_bleu({"xyz"}, {"a b c"}).score == 0.0);
    CHECK(corpus_bleu({""}, {"a b c"}).score == 0.0);
    // Case matters: sacreBLEU's default is cased.
    CHECK(corpus_bleu({"the cat sat on the mat"}, {"The Cat sat on the mat"}).score < 100.0);
}

TEST_CASE("BLEU: the brevity penalty exp(1 - r/c) for a short hypothesis") {
    // Every n-gram of the 5-token hypothesis matches; the reference has 7 tokens.
    const BleuScore b = corpus_bleu({"the cat sat on the"}, {"the cat sat on the mat ."});
    CHECK(b.precisions[0] == Approx(100.0));
    CHECK(b.precisions[3] == Approx(100.0));
    CHECK(b.brevity_penalty == Approx(std::exp(1.0 - 7.0 / 5.0)));
    CHECK(b.score == Approx(100.0 * std::exp(-0.4)));  // 67.03
    // A longer hypothesis is not penalised.
    CHECK(
        corpus_bleu({"the cat sat on the mat . ."}, {"the cat sat on the mat ."}).brevity_penalty ==
        1.0);
}

TEST_CASE("BLEU: exp smoothing gives an order without matches 1/2, then 1/4, of a match") {
    // 1-grams a b c d: 3 of 4 match; 2-grams: 1 of 3 (a b); 3-grams: 0 of 2 → 100/(2·2);
    // 4-grams: 0 of 1 → 100/(4·1). BLEU = (75 · 33.3 · 25 · 25)^(1/4) = 35.355.
    const BleuScore b = corpus_bleu({"a b c d"}, {"a b x d"});
    CHECK(b.precisions[0] == Approx(75.0));
    CHECK(b.precisions[1] == Approx(100.0 / 3.0));
    CHECK(b.precisions[2] == Approx(25.0));
    CHECK(b.precisions[3] == Approx(25.0));
    CHECK(b.score == Approx(std::sqrt(1250.0)));
}

TEST_CASE("BLEU: matches are clipped and counted over the whole corpus") {
    // "the the the" earns one "the"; with no 4-grams at all the score is 0, as sacreBLEU.
    const BleuScore clipped = corpus_bleu({"the the the"}, {"the cat"});
    CHECK(clipped.stats.matches[0] == 1);
    CHECK(clipped.stats.totals[0] == 3);
    CHECK(clipped.score == 0.0);
    // Corpus-level: statistics are summed before the precisions are taken.
    const BleuScore corpus = corpus_bleu({"a b c d", "e f g h"}, {"a b c d", "e f x h"});
    BleuStats sum = sentence_stats(tokenize_13a("a b c d"), tokenize_13a("a b c d"));
    sum += sentence_stats(tokenize_13a("e f g h"), tokenize_13a("e f x h"));
    CHECK(corpus.stats.matches == sum.matches);
    CHECK(corpus.score == Approx(bleu_from_stats(sum).score));
    CHECK(corpus.stats.matches[0] == 7);
    CHECK(corpus.stats.totals[3] == 2);
    CHECK(corpus.stats.matches[3] == 1);
    CHECK_THROWS_WITH(corpus_bleu({"a"}, {}), "BLEU: 1 hypotheses but 0 references");
    CHECK_THAT(corpus.report(),
               Catch::StartsWith("BLEU = ") && Catch::Contains("hyp_len = 8 ref_len = 8"));
}

namespace {
std::vector<Example> random_examples(std::size_t n, Rng& rng) {
    std::vector<Example> out;
    for (std::size_t i = 0; i < n; ++i) {
        // Lengths as in real data: a translation is about as long as its source.
        Example e;
        const std::size_t length = 3 + rng.below(40);
        e.src.assign(length, 5);
        e.tgt.assign(length + rng.below(4), 6);
        out.push_back(e);
    }
    return out;
}
}  // namespace

TEST_CASE(
    "token-budget batches: every pair once per epoch, the budget kept, the same seed the same "
    "plan") {
    Rng data(3);
    const std::vector<Example> examples = random_examples(1000, data);
    const std::size_t budget = 400;
    Rng a(7), b(7), c(8);
    const BatchPlan plan = plan_batches(examples, budget, a);
    std::multiset<std::size_t> seen;
    for (const auto& batch : plan) {
        std::size_t M = 0, T = 0;
        for (std::size_t i : batch) {
            seen.insert(i);
            M = std::max(M, examples[i].src.size());
            T = std::max(T, examples[i].tgt.size());
        }
        CHECK(batch.size() * M <= budget);
        CHECK(batch.size() * T <= budget);
    }
    CHECK(seen.size() == examples.size());
    CHECK(std::set<std::size_t>(seen.begin(), seen.end()).size() == examples.size());
    CHECK(plan_batches(examples, budget, b) == plan);
    CHECK(plan_batches(examples, budget, c) != plan);
    // Sorting within pools packs tightly: far fewer padding tokens than batches in order.
    const PaddingStats ours = padding_stats(examples, plan);
    CHECK(ours.real_share() > 0.9);
    CHECK(fixed_batch_stats(examples, 10, 0).real_share() < 0.8);
    // An example longer than the budget gets a batch of its own, never an error.
    std::vector<Example> one = {Example{std::vector<std::int64_t>(50, 5), {0, 1}}};
    Rng d(1);
    CHECK(plan_batches(one, 10, d).size() == 1);
    CHECK_THROWS(plan_batches(examples, 0, d));
}

TEST_CASE("a padded batch: pad id 2 after each sentence, and chapter 08's shifted target") {
    const std::vector<Example> examples = {{{kBos, 7, 8, kEos}, {kBos, 9, kEos}},
                                           {{kBos, 7, kEos}, {kBos, 9, 10, 11, kEos}}};
    const Batch batch = make_padded_batch(examples, {0, 1});
    CHECK(batch.src_BM == xt::xtensor<std::int64_t, 2>{{kBos, 7, 8, kEos}, {kBos, 7, kEos, kPad}});
    CHECK(batch.tgt_in_BL ==
          xt::xtensor<std::int64_t, 2>{{kBos, 9, kEos, kPad}, {kBos, 9, 10, 11}});
    CHECK(batch.tgt_y_BL == xt::xtensor<std::int64_t, 2>{{9, kEos, kPad, kPad}, {9, 10, 11, kEos}});
    CHECK(batch.ntokens == 2 + 4);
    CHECK_FALSE(batch.src_mask_B1M(1, 0, 3));  // padding is masked
    const PaddingStats s = padding_stats(examples, {{0, 1}});
    CHECK(s.real == 4 + 3 + 3 + 5);
    CHECK(s.padded == 2 * (4 + 5));
    CHECK(fixed_batch_stats(examples, 2, 72).padded == 2 * 2 * 72);
}
