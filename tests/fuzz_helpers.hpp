// fuzz_helpers.hpp — a seeded mutation fuzzer for the readers of user files.
//
// Every reader of a file a user hands us (.npy, config.json, state.json, text, vocabularies)
// must answer anything with either a result or one clear error of its documented type —
// never a crash, a hang, a huge allocation, or some other exception escaping. These tests
// feed each reader thousands of mutants of valid inputs: bits flipped, bytes inserted,
// deleted, repeated, truncated, replaced by characters that matter to the format, and
// spliced from other seeds. They run in the normal suite and, in CI, under AddressSanitizer
// and UndefinedBehaviorSanitizer, which turn a silent out-of-bounds read into a failure.
// The mutations come from a seeded generator, so a failure can be replayed exactly.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <typeinfo>
#include <vector>

#include <catch2/catch.hpp>

#include "00_tensors/random.hpp"

namespace tfm::testing {

/// One mutant of `seed` (bytes), drawing from `others` for splices.
inline std::string mutate(const std::string& seed, const std::vector<std::string>& others,
                          Rng& rng) {
    static const char kInteresting[] = {'\0', '\n', '\r', '"',    '\'',   '{',    '}',   '[',
                                        ']',  ',',  ':',  '-',    '0',    '9',    '.',   'e',
                                        ' ',  '(',  ')',  '\x7f', '\x80', '\xc3', '\xff'};
    std::string s = seed;
    const std::size_t edits = 1 + rng.below(4);
    for (std::size_t e = 0; e < edits; ++e) {
        const std::size_t at = s.empty() ? 0 : rng.below(std::uint32_t(s.size()));
        switch (rng.below(8)) {
            case 0:  // flip a bit
                if (!s.empty()) s[at] = char(s[at] ^ (1 << rng.below(8)));
                break;
            case 1:  // a byte that matters to text formats
                if (!s.empty()) s[at] = kInteresting[rng.below(sizeof kInteresting)];
                break;
            case 2:  // insert random bytes
                s.insert(at, std::string(1 + rng.below(8), char(rng.below(256))));
                break;
            case 3:  // delete a range
                if (!s.empty()) s.erase(at, 1 + rng.below(16));
                break;
            case 4:  // repeat a range
                if (!s.empty()) s.insert(at, s.substr(at, 1 + rng.below(32)));
                break;
            case 5:  // truncate
                s.resize(s.empty() ? 0 : rng.below(std::uint32_t(s.size())));
                break;
            case 6:  // a digit run: numbers at the edges of their types
                s.insert(at, std::string(1 + rng.below(24), char('0' + rng.below(10))));
                break;
            default:  // splice another seed in
                if (!others.empty()) {
                    const std::string& o = others[rng.below(std::uint32_t(others.size()))];
                    const std::size_t from = o.empty() ? 0 : rng.below(std::uint32_t(o.size()));
                    s.insert(at, o.substr(from, 1 + rng.below(64)));
                }
        }
    }
    return s;
}

/// Whether `e` is one of the allowed exception types.
template <class... Allowed>
bool is_one_of(const std::exception& e) {
    return (false || ... || (dynamic_cast<const Allowed*>(&e) != nullptr));
}

/// Calls `parse` on the seeds and on `iterations` mutants. Each call must return or throw
/// one of `Allowed`; returns how many mutants were rejected (the tests check that the
/// fuzzer reached the error paths, not only the happy one).
template <class... Allowed>
std::size_t fuzz(const std::vector<std::string>& seeds, std::size_t iterations, std::uint64_t seed,
                 const std::function<void(const std::string&)>& parse) {
    Rng rng(seed);
    std::size_t rejected = 0;
    for (std::size_t i = 0; i < seeds.size() + iterations; ++i) {
        const std::string input =
            i < seeds.size() ? seeds[i]
                             : mutate(seeds[rng.below(std::uint32_t(seeds.size()))], seeds, rng);
        try {
            parse(input);
        } catch (const std::exception& e) {
            if (!is_one_of<Allowed...>(e)) {
                FAIL("mutant " << i << " (fuzz seed " << seed << ") threw " << typeid(e).name()
                               << ": " << e.what());
            }
            ++rejected;
            if (i < seeds.size()) FAIL("a valid seed was rejected: " << e.what());
        }
    }
    return rejected;
}

}  // namespace tfm::testing
