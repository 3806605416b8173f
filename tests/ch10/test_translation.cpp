// Chapter 10: a whole run on a made-up language (BLEU rises in seconds), exact resume,
// checkpoint averaging, and checkpoints that translate on their own.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "00_tensors/files.hpp"
#include "07_encoder_decoder/checkpoint.hpp"
#include "10_translation/bleu.hpp"
#include "10_translation/made_up_language.hpp"
#include "10_translation/translation_run.hpp"
#include "10_translation/translator.hpp"
#include "test_helpers.hpp"

using namespace tfm;
namespace fs = std::filesystem;

namespace {
TranslationOptions tiny_run(const std::string& data, const std::string& out) {
    return made_up_run_options(data, out, 3);
}
}  // namespace

TEST_CASE("a tiny translator learns a made-up language in seconds: test BLEU above 50",
          "[learning]") {
    const ScratchDirectory dir("ch10run");
    Rng rng(11);
    write_made_up_corpus(dir.path(), 1500, 100, 100, rng);
    const TranslationOptions o = tiny_run(dir.path(), dir / "run");
    const std::vector<Evaluation> r = train_translation(o);
    REQUIRE(r.size() == o.epochs);
    CHECK(r.back().epoch == o.epochs);
    CHECK(r.back().val_loss < r.front().val_loss);
    // The checkpoint alone translates: model, vocabularies and settings are all in it.
    Translator t = load_translator(o.out_dir);
    const ParallelText test = read_parallel(dir.path(), "test_2016_flickr");
    const double bleu = corpus_bleu(t.translate(test.src), test.tgt).score;
    INFO("test BLEU " << bleu);
    CHECK(bleu > 50.0);
    // Before training, the same model scores near nothing.
    EncoderDecoder untrained(t.model.config(), 3);
    Translator fresh{std::move(untrained), t.codecs, t.max_len};
    CHECK(corpus_bleu(fresh.translate(test.src), test.tgt).score < 10.0);
}

TEST_CASE("a resumed translation run ends with exactly the weights of an uninterrupted one") {
    const ScratchDirectory dir("ch10run");
    Rng rng(12);
    write_made_up_corpus(dir.path(), 200, 40, 40, rng);
    TranslationOptions straight = tiny_run(dir.path(), dir / "straight");
    straight.epochs = 3;
    train_translation(straight);
    TranslationOptions first = tiny_run(dir.path(), dir / "resumed");
    first.epochs = 2;
    train_translation(first);
    TranslationOptions second = first;
    second.epochs = 3;
    second.flags_given = {"--epochs"};  // as on a command line: only how far it goes changes
    second.start = RunStart::Resume;
    second.warmup = 999;  // ignored: a resumed run keeps the settings it was started with
    train_translation(second);
    // Its settings.json is the one it was started with (warmup 40, not the 999 asked).
    CHECK(read_file(dir / "straight/settings.json") == read_file(dir / "resumed/settings.json"));
    EncoderDecoder a = load_checkpoint(dir / "straight/model"),
                   b = load_checkpoint(dir / "resumed/model");
    const ParameterList pa = a.parameters(), pb = b.parameters();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        INFO(pa[i]->name);
        CHECK((pa[i]->value == pb[i]->value));
    }
    // Snapshots of the epochs for averaging, and the step log, are in the run. The last
    // snapshot is the model of the last epoch, its files shared with model/ (hard links:
    // an epoch's weights are written once); the first is epoch 1's, carried through the
    // resume.
    const std::vector<std::string> snapshots = run_snapshots(dir / "resumed");
    REQUIRE(snapshots.size() == 3);
    CHECK(fs::path(snapshots.front()).filename() == "epoch_001");
    EncoderDecoder snapshot = load_checkpoint(snapshots.back());
    const ParameterList last = snapshot.parameters();
    for (std::size_t i = 0; i < pb.size(); ++i) {
        INFO(pb[i]->name);
        CHECK((last[i]->value == pb[i]->value));
        CHECK(fs::equivalent(fs::path(snapshots.back()) / (pb[i]->name + ".npy"),
                             fs::path(dir / "resumed/model") / (pb[i]->name + ".npy")));
    }
    CHECK_FALSE(fs::equivalent(fs::path(snapshots.front()) / (pb[0]->name + ".npy"),
                               fs::path(dir / "resumed/model") / (pb[0]->name + ".npy")));
    CHECK(fs::exists(dir / "resumed/steps.csv"));
    // The evaluations, typed, in one place: three epochs, the resumed one included.
    const TrainingRun saved =
        TrainingRun::open(dir / "resumed", kTranslationRunKind, RunStart::Resume);
    REQUIRE(saved.evaluations().size() == 3);
    CHECK(saved.evaluations()[2].epoch == 3);
    CHECK(saved.steps().size() == saved.evaluations()[2].step);
}

TEST_CASE("a run is never replaced by accident, nor resumed with other data or vocabularies") {
    const ScratchDirectory dir("ch10run");
    Rng rng(15);
    write_made_up_corpus(dir.path(), 100, 20, 20, rng);
    TranslationOptions o = tiny_run(dir.path(), dir / "run");
    o.epochs = 1;
    train_translation(o);
    const std::string state = read_file(dir / "run/state.json");
    // The same command twice: refused, and the run is untouched.
    CHECK_THROWS_WITH(train_translation(o),
                      Catch::Contains("already holds a translation training run: continue it "
                                      "with --resume, or replace it with --overwrite"));
    CHECK(read_file(dir / "run/state.json") == state);
    // --overwrite replaces it: a new run from epoch 1, no snapshot of the old one left.
    o.start = RunStart::Overwrite;
    o.seed = 4;
    train_translation(o);
    CHECK(read_file(dir / "run/state.json") != state);
    CHECK(run_snapshots(dir / "run").size() == 1);
    // Resuming with other data: refused by its fingerprint.
    Rng other(16);
    fs::create_directory(dir / "other");
    write_made_up_corpus(dir / "other", 100, 20, 20, other);
    TranslationOptions elsewhere = o;
    elsewhere.start = RunStart::Resume;
    elsewhere.epochs = 2;
    elsewhere.flags_given = {"--epochs"};
    elsewhere.data_dir = dir / "other";
    CHECK_THROWS_WITH(train_translation(elsewhere),
                      Catch::Contains("not the data this run was trained on"));
    // A vocabulary one token longer than the model's embedding: refused before training.
    TranslationOptions resume = o;
    resume.start = RunStart::Resume;
    resume.epochs = 2;
    resume.flags_given = {"--epochs"};
    const std::string vocab = read_file(dir / "run/vocab/tgt.vocab");
    write_file_atomically(dir / "run/vocab/tgt.vocab", vocab + "extra\n");
    CHECK_THROWS_WITH(train_translation(resume), Catch::Contains("do not match vocab/"));
    // The same words in another order: every id would mean another word. Refused by the
    // vocabularies' fingerprint.
    std::vector<std::string> lines;
    for (std::size_t at = 0, end; at < vocab.size(); at = end + 1) {
        end = vocab.find('\n', at);
        lines.push_back(vocab.substr(at, end - at));
    }
    REQUIRE(lines.size() > 6);
    std::swap(lines[5], lines[6]);
    std::string swapped;
    for (const std::string& line : lines) swapped += line + "\n";
    write_file_atomically(dir / "run/vocab/tgt.vocab", swapped);
    CHECK_THROWS_WITH(train_translation(resume),
                      Catch::Contains("/vocab: not the vocabularies this run was trained with"));
    // A run saved before settings.json recorded the fingerprint still resumes (its
    // vocabularies checked by their sizes only).
    nlohmann::json settings = nlohmann::json::parse(read_file(dir / "run/settings.json"));
    settings["data"].erase("vocabularies");
    write_file_atomically(dir / "run/settings.json", settings.dump());
    CHECK(train_translation(resume).size() == 2);
}

TEST_CASE("a run with no data left after filtering is an error, not a run with loss 0") {
    const ScratchDirectory dir("ch10run");
    Rng rng(17);
    write_made_up_corpus(dir.path(), 100, 20, 20, rng);
    TranslationOptions o = tiny_run(dir.path(), dir / "run");
    o.max_len = 3;
    CHECK_THROWS_WITH(train_translation(o),
                      "--max-len 3: all 100 training pairs are longer than that (in ids, with "
                      "<s> and </s>): nothing is left to train on");
    CHECK_FALSE(fs::exists(dir / "run"));
}

TEST_CASE(
    "averaging checkpoints gives the element-wise mean, and other configurations are refused") {
    const ScratchDirectory dir("ch10avg");
    ModelConfig c = small_config(9, 1, 8, 16, 2);
    EncoderDecoder a(c, 1), b(c, 2), d(c, 3);
    save_checkpoint(dir / "a", a);
    save_checkpoint(dir / "b", b);
    save_checkpoint(dir / "d", d);
    EncoderDecoder mean = average_checkpoints({dir / "a", dir / "b", dir / "d"});
    const ParameterList pm = mean.parameters(), pa = a.parameters(), pb = b.parameters(),
                        pd = d.parameters();
    for (std::size_t i = 0; i < pm.size(); ++i) {
        const xt::xarray<float> expected = (pa[i]->value + pb[i]->value + pd[i]->value) / 3.0f;
        INFO(pm[i]->name);
        CHECK_CLOSE(pm[i]->value, expected, 1e-7, 1e-6);
    }
    EncoderDecoder one = average_checkpoints({dir / "a"});
    CHECK((one.parameters()[0]->value == pa[0]->value));
    c.d_ff = 32;
    EncoderDecoder other(c, 4);
    save_checkpoint(dir / "other", other);
    CHECK_THROWS_WITH(average_checkpoints({dir / "a", dir / "other"}),
                      Catch::Contains("a different model configuration"));
    CHECK_THROWS_WITH(average_checkpoints({}), "average: no checkpoints given");
}

TEST_CASE("a checkpoint without its vocabulary or settings is a clear error") {
    const ScratchDirectory dir("ch10run");
    Rng rng(13);
    write_made_up_corpus(dir.path(), 100, 20, 20, rng);
    TranslationOptions o = tiny_run(dir.path(), dir / "run");
    o.epochs = 1;
    train_translation(o);
    Translator t = load_translator(o.out_dir);
    // An averaged model: a directory of its own kind, that translates the same way.
    save_translation_model(dir / "avg", t.model, t.codecs, t.max_len);
    CHECK(directory_kind(dir / "avg") == kTranslationModelKind);
    CHECK(load_translator(dir / "avg").translate({"ba ko ."}) == t.translate({"ba ko ."}));
    fs::remove_all(dir / "avg/vocab");
    CHECK_THROWS_WITH(load_translator(dir / "avg"), Catch::Contains("has no vocab/ directory"));
    fs::remove(dir / "run/translation.json");
    CHECK_THROWS_WITH(load_translator(dir / "run"), Catch::Contains("translation.json"));
    CHECK_THROWS_WITH(load_translator(dir / "none"),
                      Catch::Contains("no such checkpoint directory"));
    // --out pointing at a directory that is not a run: refused before any training.
    fs::create_directory(dir / "mine");
    std::ofstream(dir / "mine/notes.txt") << "keep";
    TranslationOptions bad = tiny_run(dir.path(), dir / "mine");
    CHECK_THROWS_WITH(train_translation(bad), Catch::Contains("did not write"));
    CHECK(read_file(dir / "mine/notes.txt") == "keep");
}

TEST_CASE("the subword setup shares one vocabulary and ties the three matrices") {
    const ScratchDirectory dir("ch10run");
    Rng rng(14);
    write_made_up_corpus(dir.path(), 200, 20, 20, rng);
    TranslationOptions o = tiny_run(dir.path(), dir / "run");
    o.epochs = 1;
    o.subword = true;
    o.subword_vocab = 60;
    train_translation(o);
    Translator t = load_translator(o.out_dir);
    CHECK(t.codecs.subword);
    CHECK(t.codecs.src == t.codecs.tgt);
    CHECK(t.model.config().shared_embeddings);
    CHECK(t.model.config().src_vocab == 60);
    CHECK(&t.model.generator.proj.W() == &t.model.src_embed.embeddings.table());
}

TEST_CASE("a run's snapshots come oldest first by their epoch's number, past epoch 999 too") {
    const ScratchDirectory dir("snapshots");
    for (const char* name : {"epoch_1000", "epoch_999", "epoch_998", "epoch_x", "notes"})
        fs::create_directories(dir / ("run/snapshots/" + std::string(name)));
    const std::vector<std::string> found = run_snapshots(dir / "run");
    REQUIRE(found.size() == 3);
    CHECK(fs::path(found[0]).filename() == "epoch_998");
    CHECK(fs::path(found[1]).filename() == "epoch_999");
    CHECK(fs::path(found[2]).filename() == "epoch_1000");
}
