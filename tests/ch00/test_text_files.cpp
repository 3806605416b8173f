// Chapter 00: reading text — gzip or plain, every line checked, errors that name the file
// and line and never echo control characters, standard input that fails loudly.
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "00_tensors/files.hpp"
#include "00_tensors/text_files.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using testing::error_of;
using testing::write_raw;

namespace {
using Lines = std::vector<std::string>;
}  // namespace

TEST_CASE("UTF-8 validation finds overlong forms, surrogates, truncation and stray bytes") {
    CHECK(find_invalid_utf8("plain ASCII") == std::string::npos);
    CHECK(find_invalid_utf8("Grüße, „Zitat“, € und 😀") == std::string::npos);
    CHECK(find_invalid_utf8("ab\xC0\x80") == 2);         // overlong NUL
    CHECK(find_invalid_utf8("\xED\xA0\x80") == 0);       // a UTF-16 surrogate
    CHECK(find_invalid_utf8("x\xF4\x90\x80\x80") == 1);  // beyond U+10FFFF
    CHECK(find_invalid_utf8("ok \xE2\x82") == 3);        // truncated €
    CHECK(find_invalid_utf8("\x80") == 0);               // a stray continuation byte
    CHECK(find_invalid_utf8("\xFF") == 0);
}

TEST_CASE("gzip lines are read through zlib and every bad line is named by file and line") {
    const ScratchDirectory dir("text");
    write_lines_gz(dir / "good.gz", {"Ein Hund.", "Zwei Hunde."});
    CHECK(read_lines(dir / "good.gz") == Lines{"Ein Hund.", "Zwei Hunde."});
    write_raw(dir / "plain.txt",
              "no gzip\nat all");  // plain text is read too; the last line needs no newline
    CHECK(read_lines(dir / "plain.txt") == Lines{"no gzip", "at all"});

    write_lines_gz(dir / "utf8.gz", {"gut", "kaputt \xC3("});
    CHECK(error_of([&] { read_lines(dir / "utf8.gz"); }) ==
          dir / "utf8.gz" + ":2: invalid UTF-8 at byte 8 of the line");
    write_lines_gz(dir / "cr.gz", {"eins\r", "zwei"});
    CHECK(error_of([&] { read_lines(dir / "cr.gz"); }) ==
          dir / "cr.gz" + ":1: contains a carriage return (CR): the file must use Unix line ends");
    write_lines_gz(dir / "empty.gz", {"eins", "", "drei"});
    CHECK_THAT(error_of([&] { read_lines(dir / "empty.gz"); }),
               Catch::StartsWith(dir / "empty.gz" + ":2: empty line"));
    write_lines_gz(dir / "blank.gz", {"eins", "  \t"});
    CHECK_THAT(error_of([&] { read_lines(dir / "blank.gz"); }),
               Catch::StartsWith(dir / "blank.gz" + ":2: blank line"));
    CHECK(read_lines(dir / "empty.gz", true).size() ==
          3);  // allowed where a file may hold empty translations

    // A cut-off gzip stream, and one whose compressed data is garbage.
    const std::string good = read_file(dir / "good.gz");
    write_raw(dir / "cut.gz", good.substr(0, good.size() - 10));
    CHECK_THAT(error_of([&] { read_lines(dir / "cut.gz"); }),
               Catch::Contains("cut.gz: the gzip stream is truncated"));
    write_raw(dir / "broken.gz", good.substr(0, 10) + std::string(40, '\xFF'));
    CHECK_THAT(error_of([&] { read_lines(dir / "broken.gz"); }),
               Catch::Contains("broken.gz: not a readable gzip file"));
    CHECK_THAT(error_of([&] { read_lines(dir / "none.gz"); }), Catch::Contains("no such file"));
    CHECK_THAT(error_of([&] { read_lines(dir.path()); }), Catch::Contains("is a directory"));
}

TEST_CASE("a NUL byte is damage, named by file, line and byte, in lines and in whole texts") {
    const ScratchDirectory dir("text");
    // What a crash can leave: a block of zeros in the middle of a file.
    write_lines_gz(dir / "nul.gz", {"Ein Hund.", "Zwei " + std::string(4096, '\0') + "Hunde."});
    CHECK(error_of([&] { read_lines(dir / "nul.gz"); }) ==
          dir / "nul.gz" +
              ":2: a NUL byte at byte 6 of the line: the file is damaged (a crash leaves blocks "
              "of zeros)");
    write_raw(dir / "nul.txt", std::string("First Citizen:\n") + '\0' + "Before we proceed");
    CHECK_THAT(error_of([&] { read_text(dir / "nul.txt"); }),
               Catch::StartsWith(dir / "nul.txt" + ":2: a NUL byte at byte 1 of the line"));
    write_raw(dir / "crlf.txt", "One\r\n");
    CHECK(error_of([&] { read_text(dir / "crlf.txt"); }) ==
          dir / "crlf.txt" +
              ":1: a carriage return (CR) at byte 4 of the line: the file must use Unix line "
              "ends");
}

TEST_CASE("printable() keeps text and UTF-8, escapes control bytes and broken UTF-8, and cuts") {
    CHECK(printable("Grüße, „Zitat“") == "Grüße, „Zitat“");
    CHECK(printable("a\rb\x0b\x1b[31m") == "a\\x0Db\\x0B\\x1B[31m");
    CHECK(printable(std::string("x\0y", 3)) == "x\\x00y");
    CHECK(printable("\xC3(") == "\\xC3(");
    CHECK(printable("\x7f") == "\\x7F");
    CHECK(printable(std::string(100, 'a'), 10) == std::string(10, 'a') + "…");
    CHECK(printable("äöü", 2) == "äö…");  // characters, not bytes
}
