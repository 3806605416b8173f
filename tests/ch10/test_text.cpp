// Chapter 10: Multi30k's paired files, the word tokenizer and its inverse, vocabularies,
// and the shared SentencePiece codec. (Reading text itself is chapter 00's.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "07_encoder_decoder/config_limits.hpp"
#include "10_translation/corpus.hpp"
#include "10_translation/made_up_language.hpp"
#include "10_translation/tokenizer.hpp"
#include "10_translation/vocabulary.hpp"
#include "fuzz_helpers.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using testing::error_of;
using testing::write_raw;

namespace {
using Tokens = std::vector<std::string>;
}  // namespace

TEST_CASE(
    "a parallel split needs both files with the same number of lines, and a missing one says how "
    "to get it") {
    const ScratchDirectory dir("ch10text");
    write_lines_gz(dir / "train.de.gz", {"Ein Hund.", "Eine Katze."});
    write_lines_gz(dir / "train.en.gz", {"A dog."});
    CHECK_THAT(
        error_of([&] { read_parallel(dir.path(), "train"); }),
        Catch::Contains("train.de.gz has 2 lines but") && Catch::Contains("train.en.gz has 1"));
    CHECK(error_of([&] { read_parallel(dir.path(), "val"); }) ==
          dir / "val.de.gz" +
              ": no such file; download Multi30k with: scripts/download-data.sh multi30k " +
              dir.path());
    CHECK(error_of([&] { read_parallel(dir / "nowhere", "train"); }) ==
          "--data " + dir / "nowhere" +
              ": no such directory; download Multi30k with: scripts/download-data.sh multi30k " +
              dir / "nowhere");
    write_lines_gz(dir / "train.en.gz", {"A dog.", "A cat."});
    const ParallelText text = read_parallel(dir.path(), "train");
    CHECK(text.size() == 2);
    CHECK(text.tgt[1] == "A cat.");
}

TEST_CASE("the made-up language is written only to new files: a corpus already there is kept") {
    const ScratchDirectory dir("ch10madeup");
    write_lines_gz(dir / "val.en.gz", {"A dog."});
    Rng rng(1);
    CHECK(error_of([&] { write_made_up_corpus(dir.path(), 10, 2, 2, rng); }) ==
          dir / "val.en.gz" +
              ": already exists; the made-up language is written only to new files (choose "
              "another --out)");
    CHECK(read_lines(dir / "val.en.gz") == Tokens{"A dog."});
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
        files += !e.is_directory();
    CHECK(files == 1);  // nothing was written before the refusal
    const ScratchDirectory fresh("ch10madeup2");
    write_made_up_corpus(fresh.path(), 10, 2, 3, rng);
    CHECK(read_parallel(fresh.path(), "test_2016_flickr").size() == 3);
}

TEST_CASE(
    "the tokenizer on tricky lines of the data: quotes, abbreviations, numbers, umlauts and ß") {
    CHECK(tokenize("Ein Mann in einem blauen Hemd steht auf einer Leiter.") ==
          Tokens{"Ein", "Mann", "in", "einem", "blauen", "Hemd", "steht", "auf", "einer", "Leiter",
                 "."});
    CHECK(tokenize("Zwei Männer, z.B. Feuerwehrleute, grüßen.") ==
          Tokens{"Zwei", "Männer", ",", "z.B.", "Feuerwehrleute", ",", "grüßen", "."});
    CHECK(tokenize("Ein Schild mit der Aufschrift „Joe's Pizza“.") ==
          Tokens{"Ein", "Schild", "mit", "der", "Aufschrift", "„", "Joe", "'s", "Pizza", "“", "."});
    CHECK(
        tokenize("Das kostet 3,50 Euro, um 11:27 Uhr, 10.000 Leute") ==
        Tokens{"Das", "kostet", "3,50", "Euro", ",", "um", "11:27", "Uhr", ",", "10.000", "Leute"});
    CHECK(tokenize("saftig-grünes Gras bzw. ein T-Shirt") ==
          Tokens{"saftig", "@-@", "grünes", "Gras", "bzw.", "ein", "T", "@-@", "Shirt"});
    CHECK(tokenize("A man's dog can't wait - \"Go!\" (U.S.)") ==
          Tokens{"A", "man", "'s", "dog", "can", "'t", "wait", "-", "\"", "Go", "!", "\"", "(",
                 "U.S.", ")"});
    CHECK(tokenize("Leute\xC2\xA0"
                   "am\tStrand ") == Tokens{"Leute", "am", "Strand"});  // no-break space, tab
    CHECK(tokenize("").empty());
}

TEST_CASE("detokenize inverts tokenize on single-spaced text") {
    for (const std::string line :
         {"Ein Mann in einem blauen Hemd steht auf einer Leiter.",
          "Zwei Männer, z.B. Feuerwehrleute, grüßen.",
          "Ein Schild mit der Aufschrift „Joe's Pizza“.",
          "Das kostet 3,50 Euro, um 11:27 Uhr, 10.000 Leute.",
          "saftig-grünes Gras bzw. ein T-Shirt", "A man's dog can't wait - \"Go!\" (U.S.)",
          "A woman in a 'Love Story' shirt says: \"Hi, it's me.\"",
          "Menschen am Strand; ein Hund?"}) {
        INFO(line);
        CHECK(detokenize(tokenize(line)) == line);
    }
    CHECK(detokenize({"a", "b", "@-@", "c", ",", "d", "."}) == "a b-c, d.");
}

TEST_CASE("a vocabulary from tokens: specials first, then by frequency with at least min_freq") {
    const std::vector<Tokens> sentences = {{"b", "a", "c"}, {"a", "b", "d"}, {"a", "e", "e"}};
    const Vocabulary v = Vocabulary::build(sentences, 2);
    REQUIRE(v.size() == 4 + 3);  // a (3), b (2), e (2); c and d once
    CHECK(v.token(kBos) == "<s>");
    CHECK(v.token(kEos) == "</s>");
    CHECK(v.token(kPad) == "<blank>");
    CHECK(v.token(kUnk) == "<unk>");
    CHECK(v.token(4) == "a");
    CHECK(v.token(5) == "b");  // ties in byte order
    CHECK(v.token(6) == "e");
    CHECK(v.id("c") == kUnk);
    CHECK(v.id("never seen") == kUnk);
    CHECK_THROWS_AS(v.token(7), std::out_of_range);

    const ScratchDirectory dir("ch10text");
    v.save(dir / "v.vocab");
    const Vocabulary back = Vocabulary::load(dir / "v.vocab");
    REQUIRE(back.size() == v.size());
    for (std::int64_t i = 0; i < std::int64_t(v.size()); ++i) CHECK(back.token(i) == v.token(i));
    write_raw(dir / "dup.vocab", "<s>\n</s>\n<blank>\n<unk>\nHund\nKatze\nHund\n");
    CHECK(error_of([&] { Vocabulary::load(dir / "dup.vocab"); }) ==
          dir / "dup.vocab" + ":7: duplicate token 'Hund'");
    write_raw(dir / "nospecial.vocab", "Hund\nKatze\n");
    CHECK_THAT(error_of([&] { Vocabulary::load(dir / "nospecial.vocab"); }),
               Catch::Contains(":1: expected the special token <s>"));
    write_raw(dir / "blank.vocab", "<s>\n</s>\n<blank>\n<unk>\nHund\n\n");
    CHECK_THAT(error_of([&] { Vocabulary::load(dir / "blank.vocab"); }),
               Catch::Contains(":6: a token must be non-empty"));
}

TEST_CASE("a vocabulary file with more lines than any model has tokens is refused by its count") {
    const std::string lines(kMaxVocab + 1, '\n');
    CHECK(error_of([&] { Vocabulary::parse(lines, "wide.vocab"); }) ==
          "wide.vocab: 4194305 tokens, more than the 4194304 a model may have");
    // A last line without its newline is a line too.
    CHECK(error_of([&] { Vocabulary::parse(lines.substr(1) + "x", "wide.vocab"); }) ==
          "wide.vocab: 4194305 tokens, more than the 4194304 a model may have");
}

TEST_CASE("a word codec maps unknown words to <unk> and decodes to plain text") {
    const WordCodec codec(
        Vocabulary::build({tokenize("a dog runs ."), tokenize("a cat runs .")}, 2));
    const std::vector<std::int64_t> ids = codec.encode("a horse runs.");
    REQUIRE(ids.size() == 4);
    CHECK(ids[1] == kUnk);
    CHECK(codec.decode(ids) == "a <unk> runs.");
    CHECK(codec.decode({kBos, ids[0], ids[2], kEos, kPad}) == "a runs");
    CHECK(unknown_rate(codec, {"a horse runs.", "a cat runs."}) == Approx(2.0 / 8.0));
}

TEST_CASE(
    "a shared SentencePiece codec: one vocabulary for both languages, our special ids, saved and "
    "loaded") {
    std::vector<std::string> sentences;
    for (int i = 0; i < 60; ++i) {
        sentences.push_back("Ein Mann und eine Frau spielen im Park mit einem Hund " +
                            std::to_string(i) + ".");
        sentences.push_back("A man and a woman play in the park with a dog " + std::to_string(i) +
                            ".");
    }
    const auto codec = SubwordCodec::train(sentences, 120);
    CHECK(codec->vocab_size() == 120);
    const std::string s = "Eine Frau spielt mit einem Hund.";
    const std::vector<std::int64_t> ids = codec->encode(s);
    for (std::int64_t id : ids) CHECK((id > kUnk && id < 120));  // no specials, nothing unknown
    CHECK(codec->decode(ids) == s);
    CHECK(codec->decode({kBos, ids[0], kEos}) == codec->decode({ids[0]}));
    const ScratchDirectory dir("ch10text");
    codec->save(dir.path(), "shared");
    const auto back = SubwordCodec::load(dir.path(), "shared");
    CHECK(back->encode(s) == ids);
    // Errors in the reader's terms: no place in SentencePiece's sources, no option of its.
    write_raw(dir / "bad.spm", "not a model");
    CHECK(error_of([&] { SubwordCodec::load(dir.path(), "bad"); }) ==
          dir / "bad.spm" + ": not a SentencePiece model (it cannot be parsed)");
    write_raw(dir / "empty.spm", "");
    CHECK(error_of([&] { SubwordCodec::load(dir.path(), "empty"); }) ==
          dir / "empty.spm" + ": an empty file, expected a SentencePiece model");
    CHECK_THAT(error_of([&] { SubwordCodec::train(sentences, 5000); }),
               Catch::StartsWith("--subword-vocab 5000: SentencePiece cannot train 5000 pieces "
                                 "on this text: Vocabulary size too high (5000)"));
    // Sentences longer than SentencePiece's default limit (4192 bytes) are learned from
    // too, not skipped.
    std::vector<std::string> long_sentences;
    for (const std::string& sentence : sentences) {
        std::string repeated;
        while (repeated.size() <= 4192) repeated += sentence + " ";
        long_sentences.push_back(repeated);
    }
    CHECK(SubwordCodec::train(long_sentences, 120)->vocab_size() == 120);
}

TEST_CASE("fuzzing the text and vocabulary readers: read or refused with a DataError") {
    const std::vector<std::string> texts = {
        "Ein Mann läuft.\nZwei Hunde spielen im Schnee.\n",
        "A man runs.\nTwo dogs \"play\" in the snow.\n„Zitat“ – ja.\n"};
    std::size_t rejected = testing::fuzz<DataError>(texts, 20000, 5, [](const std::string& text) {
        for (const std::string& line : split_lines(text, "fuzz.txt")) {
            REQUIRE(find_invalid_utf8(line) == std::string::npos);
            REQUIRE(line.find_first_not_of(" \t") != std::string::npos);
            // Whatever is accepted tokenizes, and the tokens come back as text.
            detokenize(tokenize(line));
        }
    });
    CHECK(rejected > 5000);
    const std::string vocab = "<s>\n</s>\n<blank>\n<unk>\nHund\nKatze\nläuft\n";
    rejected = testing::fuzz<DataError>({vocab}, 5000, 6, [](const std::string& text) {
        const Vocabulary v = Vocabulary::parse(text, "fuzz.vocab");
        REQUIRE(v.token(kUnk) == "<unk>");
    });
    CHECK(rejected > 2500);
    // gzip streams, through zlib: fewer mutants, each written to a file.
    const ScratchDirectory dir("ch10fuzz");
    write_lines_gz(dir / "seed.gz", {"Ein Mann läuft.", "Zwei Hunde spielen."});
    const std::string gz = read_file(dir / "seed.gz");
    testing::fuzz<DataError>({gz}, 1500, 7, [&](const std::string& bytes) {
        write_raw(dir / "m.gz", bytes);
        read_lines(dir / "m.gz");
    });
}
