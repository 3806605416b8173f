// Chapter 00: .npy files round-trip exactly, read NumPy's own files, and malformed files
// are clear errors — never a crash or garbage.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include <xtensor/xtensor.hpp>

#include "00_tensors/npy.hpp"
#include "fuzz_helpers.hpp"
#include "test_helpers.hpp"

using namespace tfm;
using testing::error_of;
using testing::write_raw;

namespace {
// A fresh scratch directory per test run, removed when the tests end.
std::string temp_dir() {
    static const ScratchDirectory dir("npy");
    return dir.path();
}
std::string valid_float_file() {
    const float data[6] = {1, 2, 3, 4, 5, 6};
    return format_npy(DType::Float32, {2, 3}, data, sizeof(data));
}
}  // namespace

TEST_CASE("float32, int64 and bool tensors round-trip bit for bit") {
    const std::string dir = temp_dir();
    Tensor<3> x = {{{1.5f, -2.25f}, {3e-8f, 1e30f}}, {{0.f, -0.f}, {7.f, 8.f}}};
    save_npy(dir + "/x.npy", x);
    const auto x2 = load_npy<float, 3>(dir + "/x.npy");
    CHECK((x2 == x));

    xt::xtensor<std::int64_t, 2> ids = {{1, -2, 3}, {4000000000000LL, 5, 6}};
    save_npy(dir + "/ids.npy", ids);
    CHECK((load_npy<std::int64_t, 2>(dir + "/ids.npy") == ids));

    xt::xtensor<bool, 2> mask = {{true, false}, {false, true}};
    save_npy(dir + "/mask.npy", mask);
    CHECK((load_npy<bool, 2>(dir + "/mask.npy") == mask));

    Tensor<1> empty = xt::zeros<float>({0});
    save_npy(dir + "/empty.npy", empty);
    CHECK(load_npy<float, 1>(dir + "/empty.npy").size() == 0);
}

TEST_CASE("headers are laid out as NumPy writes them") {
    const std::string bytes = valid_float_file();
    CHECK(bytes.substr(0, 6) == "\x93NUMPY");
    const std::size_t header_end = 10 + static_cast<unsigned char>(bytes[8]);
    CHECK(header_end % 64 == 0);  // aligned like NumPy's
    CHECK(bytes.find("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }") == 10);
    CHECK(bytes[header_end - 1] == '\n');
    const float one[1] = {1};
    CHECK(format_npy(DType::Float32, {1}, one, 4).find("'shape': (1,)") != std::string::npos);
    CHECK(format_npy(DType::Float32, {}, one, 4).find("'shape': ()") != std::string::npos);
}

TEST_CASE("files written by NumPy load with the right values") {
    const auto ids = load_npy<std::int64_t, 2>(testing::fixture("ch00", "numpy_int64"));
    CHECK(ids.shape()[0] == 2);
    CHECK(ids(0, 0) == -3);
    CHECK(ids(1, 4) == 6);
    const auto mask = load_npy<bool, 3>(testing::fixture("ch00", "numpy_bool"));
    CHECK(mask.shape()[2] == 5);
    CHECK(mask(0, 0, 0));
    CHECK_FALSE(mask(0, 0, 1));
    const auto scalar = load_npy_array<float>(testing::fixture("ch00", "numpy_scalar"));
    CHECK(scalar.dimension() == 0);
    CHECK(scalar() == 2.5f);
}

TEST_CASE("float16: NumPy's halves widen exactly, and our rounding is NumPy's, bit for bit") {
    const auto source = load_npy<float, 2>(testing::fixture("ch00", "numpy_float16_source"));
    const NpyArray halves = read_npy(testing::fixture("ch00", "numpy_float16"));
    REQUIRE(halves.dtype == DType::Float16);
    REQUIRE(halves.shape == std::vector<std::size_t>{16, 17});
    const auto widened = load_npy<float, 2>(testing::fixture("ch00", "numpy_float16"));
    for (std::size_t i = 0; i < source.size(); ++i) {
        std::uint16_t numpy_bits;
        std::memcpy(&numpy_bits, halves.data.data() + 2 * i, 2);
        INFO("element " << i << ": " << source.data()[i]);
        CHECK(float_to_half(source.data()[i]) == numpy_bits);
        CHECK(widened.data()[i] == half_to_float(numpy_bits));
        // Round to nearest: never further than half a unit in the last place (2^-11
        // relative for normal halves, 2^-25 absolute for subnormal ones).
        const float x = source.data()[i], y = widened.data()[i];
        if (std::abs(x) <= 65504.0f)
            CHECK(std::abs(x - y) <= std::max(std::abs(x) * 0x1p-11f, 0x1p-25f));
    }
    // Landmarks: 1, −2, the largest half, the smallest subnormal, ties to even.
    CHECK(float_to_half(1.0f) == 0x3c00);
    CHECK(float_to_half(-2.0f) == 0xc000);
    CHECK(float_to_half(65504.0f) == 0x7bff);
    CHECK(float_to_half(65520.0f) == 0x7c00);  // the first value that rounds to infinity
    CHECK(float_to_half(0x1p-24f) == 0x0001);
    CHECK(float_to_half(0x1p-25f) == 0x0000);      // a tie, to the even neighbour: 0
    CHECK(float_to_half(3 * 0x1p-25f) == 0x0002);  // a tie between 1 and 2 units: 2
    CHECK(float_to_half(2049.0f) == float_to_half(2048.0f));
    CHECK(half_to_float(0x7bff) == 65504.0f);
    CHECK(half_to_float(0x0001) == 0x1p-24f);
    CHECK(std::isnan(half_to_float(float_to_half(std::nanf("")))));
}

TEST_CASE(
    "float16 files are written as NumPy writes them, and a value beyond their range is refused") {
    const std::string dir = temp_dir();
    const float values[] = {0.5f, -1.25f, 3.0e-3f, 1000.0f};
    write_raw(dir + "/half.npy", format_npy_half({2, 2}, values, 4, "test"));
    const NpyArray array = read_npy(dir + "/half.npy");
    CHECK(array.dtype == DType::Float16);
    CHECK(array.data.size() == 8);
    CHECK(read_file(dir + "/half.npy").find("'descr': '<f2'") != std::string::npos);
    const auto back = load_npy<float, 2>(dir + "/half.npy");
    CHECK(back(0, 0) == 0.5f);
    CHECK(back(0, 1) == -1.25f);
    CHECK(back(1, 0) == Approx(3.0e-3f).epsilon(1e-3));
    CHECK(back(1, 1) == 1000.0f);
    // A half cannot be read into an integer tensor: widening is for floats only.
    CHECK_THROWS_WITH((load_npy<std::int64_t, 2>(dir + "/half.npy")),
                      Catch::Contains("expected dtype int64, got float16"));
    const float too_large[] = {1.0f, 70000.0f};
    CHECK_THROWS_WITH(
        format_npy_half({2}, too_large, 2, "key 'w'"),
        Catch::Contains("key 'w': element 1 (70000.000000) is beyond the float16 range"));
}

TEST_CASE("malformed files are errors that say what is wrong") {
    const std::string dir = temp_dir();
    const std::string good = valid_float_file();

    SECTION("missing file") {
        CHECK_THROWS_WITH(read_npy(dir + "/nope.npy"), dir + "/nope.npy: no such file");
    }
    SECTION("bad magic") {
        write_raw(dir + "/bad.npy", "PK\x03\x04 this is a zip file");
        CHECK_THROWS_WITH(read_npy(dir + "/bad.npy"),
                          dir + "/bad.npy: not a .npy file (bad magic string)");
    }
    SECTION("empty file") {
        write_raw(dir + "/empty.npy", "");
        CHECK_THROWS_AS(read_npy(dir + "/empty.npy"), NpyError);
    }
    SECTION("truncated header") {
        write_raw(dir + "/th.npy", good.substr(0, 30));
        CHECK_THROWS_WITH(read_npy(dir + "/th.npy"), Catch::Contains("truncated header"));
    }
    SECTION("truncated data") {
        write_raw(dir + "/td.npy", good.substr(0, good.size() - 3));
        CHECK_THROWS_WITH(
            read_npy(dir + "/td.npy"),
            dir + "/td.npy: truncated data: shape [2, 3] of float32 needs 24 bytes, file has 21");
    }
    SECTION("trailing data") {
        write_raw(dir + "/tr.npy", good + "xx");
        CHECK_THROWS_WITH(read_npy(dir + "/tr.npy"), Catch::Contains("trailing data"));
    }
    SECTION("wrong dtype asked for") {
        write_raw(dir + "/f.npy", good);
        CHECK_THROWS_WITH((load_npy<std::int64_t, 2>(dir + "/f.npy")),
                          dir + "/f.npy: expected dtype int64, got float32");
    }
    SECTION("wrong rank asked for") {
        write_raw(dir + "/f.npy", good);
        CHECK_THROWS_WITH((load_npy<float, 3>(dir + "/f.npy")),
                          dir + "/f.npy: expected 3 dimensions, got 2 with shape [2, 3]");
    }
    SECTION("unsupported dtype in the file") {
        std::string f64 = good;
        f64.replace(f64.find("<f4"), 3, "<f8");
        write_raw(dir + "/f64.npy", f64);
        CHECK_THROWS_WITH(read_npy(dir + "/f64.npy"), Catch::Contains("unsupported dtype '<f8'"));
        std::string big_endian = good;
        big_endian.replace(big_endian.find("<f4"), 3, ">f4");
        write_raw(dir + "/be.npy", big_endian);
        CHECK_THROWS_WITH(read_npy(dir + "/be.npy"), Catch::Contains("unsupported dtype '>f4'"));
    }
    SECTION("Fortran order") {
        std::string fortran = good;
        fortran.replace(fortran.find("False"), 5, "True ");
        write_raw(dir + "/fo.npy", fortran);
        CHECK_THROWS_WITH(read_npy(dir + "/fo.npy"), Catch::Contains("Fortran-order"));
    }
    SECTION("garbled shape") {
        std::string garbled = good;
        garbled.replace(garbled.find("(2, 3)"), 6, "(2, x)");
        write_raw(dir + "/gs.npy", garbled);
        CHECK_THROWS_WITH(read_npy(dir + "/gs.npy"), Catch::Contains("malformed 'shape' entry"));
    }
    SECTION("the header dictionary is parsed exactly, as NumPy defines it") {
        // A version 1.0 file with this header text and the 24 data bytes of a [2, 3] float32.
        auto with_header = [&](const std::string& header) {
            const std::string text = header + "\n";
            std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
            bytes += char(text.size() & 0xff);
            bytes += char(text.size() >> 8);
            return bytes + text + good.substr(good.size() - 24);
        };
        auto error_of = [&](const std::string& header) {
            try {
                parse_npy(with_header(header), "h.npy");
            } catch (const NpyError& e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        CHECK(error_of("{'descr': '<f4', 'fortran_order': False, 'shape': (2,,3), }")
                  .find("malformed 'shape'") != std::string::npos);
        CHECK(error_of("{'descr': '<f4', 'fortran_order': False, 'shape': (6), }")
                  .find("malformed 'shape'") !=
              std::string::npos);  // (6) is an int in Python, not a tuple
        CHECK(error_of("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'x': 1}")
                  .find("unexpected key 'x'") != std::string::npos);
        CHECK(error_of("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } junk")
                  .find("unexpected text") != std::string::npos);
        CHECK(error_of("{'descr': '<f4', 'fortran_order': False, 'shapes': (2, 3)}")
                  .find("unexpected key 'shapes'") != std::string::npos);
        // A 'shape' inside a string value is just a string, not the shape.
        CHECK(error_of("{'descr': 'shape': (7, 2)', 'fortran_order': False, 'shape': (2, 3)}") !=
              "no error");
        // As in a Python dict, a repeated key keeps its last value.
        const NpyArray twice = parse_npy(
            with_header(
                "{'shape': (3, 2), 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}"),
            "h.npy");
        CHECK(twice.shape == std::vector<std::size_t>{2, 3});
        CHECK(parse_npy(
                  with_header("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3,)}"),
                  "h.npy")
                  .shape == std::vector<std::size_t>{2, 3});
    }
    SECTION("only versions 1.0, 2.0 and 3.0 are read") {
        std::string v17 = good;
        v17[7] = 7;
        write_raw(dir + "/v.npy", v17);
        CHECK_THROWS_WITH(read_npy(dir + "/v.npy"),
                          Catch::Contains("unsupported .npy format version 1.7"));
    }
    SECTION("a header that declares more data than the file holds is refused before allocating") {
        const float data[6] = {1, 2, 3, 4, 5, 6};
        write_raw(dir + "/huge.npy",
                  format_npy(DType::Float32, {9999999999ULL, 9}, data, sizeof(data)));
        // 360 GB declared, 24 bytes present: the error comes from the header alone.
        CHECK_THROWS_WITH(
            read_npy(dir + "/huge.npy"),
            Catch::Contains(
                "truncated data: shape [9999999999, 9] of float32 needs 359999999964 bytes, "
                "file has 24"));
    }
    SECTION("a directory or a device is not a .npy file") {
        CHECK_THROWS_WITH(read_npy(dir), dir + ": is a directory, expected a file");
        CHECK_THROWS_WITH(read_npy("/dev/zero"), Catch::Contains("not a regular file"));
    }
    SECTION("a bool file with bytes other than 0 and 1") {
        const char data[2] = {1, 7};
        write_raw(dir + "/b.npy", format_npy(DType::Bool, {2}, data, 2));
        CHECK_THROWS_WITH(read_npy(dir + "/b.npy"), Catch::Contains("other than 0 or 1"));
    }
}

TEST_CASE("a save replaces the file whole and leaves no temporary behind") {
    const std::string dir = temp_dir() + "/atomic";
    REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
    Tensor<1> a = {1, 2, 3};
    save_npy(dir + "/a.npy", a);
    Tensor<1> b = {4, 5};
    save_npy(dir + "/a.npy", b);
    CHECK((load_npy<float, 1>(dir + "/a.npy") == b));
    std::size_t files = 0;
    for (const char* name : {"a.npy"}) files += ::access((dir + "/" + name).c_str(), F_OK) == 0;
    CHECK(files == 1);
    // Nothing else in the directory: the temporary was renamed, not left behind.
    std::string listing;
    if (FILE* p = ::popen(("ls -A " + dir).c_str(), "r")) {
        char buf[256];
        while (std::fgets(buf, sizeof buf, p)) listing += buf;
        ::pclose(p);
    }
    CHECK(listing == "a.npy\n");
    // A directory that does not exist: a clear error, no crash.
    CHECK_THROWS_WITH(save_npy(dir + "/missing/a.npy", a), Catch::Contains("cannot create file"));
}

TEST_CASE("fuzzing the .npy reader: every mutant is read or refused with an NpyError") {
    const float f[6] = {1, 2, 3, 4, 5, 6};
    const std::int64_t ids[4] = {1, -2, 3, 4};
    const char flags[4] = {1, 0, 0, 1};
    const std::vector<std::string> seeds = {format_npy(DType::Float32, {2, 3}, f, sizeof f),
                                            format_npy(DType::Int64, {4}, ids, sizeof ids),
                                            format_npy(DType::Bool, {2, 2}, flags, sizeof flags),
                                            format_npy(DType::Float32, {}, f, 4)};
    const std::size_t rejected =
        testing::fuzz<NpyError>(seeds, 20000, 1, [](const std::string& bytes) {
            const NpyArray a = parse_npy(bytes, "fuzz.npy");
            std::size_t count = 1;
            for (std::size_t d : a.shape) count *= d;
            const std::size_t item = a.dtype == DType::Float32 ? 4
                                     : a.dtype == DType::Int64 ? 8
                                                               : 1;
            REQUIRE(a.data.size() == count * item);  // what was accepted is what the header says
        });
    CHECK(rejected > 10000);
}

TEST_CASE("fuzzing the generator's saved state: restored or refused") {
    Rng rng(3);
    const std::string state = rng.state();
    const std::size_t rejected =
        testing::fuzz<std::invalid_argument>({state}, 300, 2, [](const std::string& text) {
            Rng r;
            r.set_state(text);
        });
    CHECK(rejected > 150);  // the error paths were reached (247 of 300), not only the happy one
}
