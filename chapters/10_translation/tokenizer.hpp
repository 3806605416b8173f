// tokenizer.hpp — a word-level tokenizer for German and English captions, and its inverse
// (chapter 10).
//
// The Annotated Transformer tokenizes with spaCy's German and English models. We write
// the rules out instead, for this data, so that a reader can see every decision:
//
//   * whitespace separates words (space, tab, and the no-break space U+00A0 that 44
//     German training lines contain);
//   * a word is a run of letters and digits; every letter outside ASCII (ä, ö, ü, ß, é,
//     ñ, ...) is a letter, so German compounds ("Feuerwehrmann") stay whole and umlauts
//     are never split;
//   * punctuation is a token of its own: . , ! ? ; : ( ) and the quotes " „ “ ” ' ‘ ’;
//   * but a period, comma or colon between two digits stays in the number ("3.5",
//     "10,000", "11:27"), and dotted abbreviations stay whole ("z.B.", "U.S.", "N.Y.",
//     and a short list such as "bzw." and "St.");
//   * an apostrophe inside a word starts a new token with what follows: "man's" →
//     man 's, "can't" → can 't;
//   * a hyphen inside a word becomes the token @-@ ("saftig-grünes" → saftig @-@ grünes),
//     so that it can be told apart from a dash between spaces;
//   * case is kept.
//
// detokenize() undoes it: it joins punctuation to its neighbour, "@-@" and clitics to
// both sides, and pairs straight quotes as opening and closing. For text already
// written with single spaces, detokenize(tokenize(s)) == s (the tests and the chapter's
// program measure how often that holds on the real data).
#pragma once

#include <string>
#include <vector>

namespace tfm {

/// The token a hyphen inside a word becomes.
inline constexpr const char* kJoinedHyphen = "@-@";

/// Splits a line into word-level tokens (see above).
std::vector<std::string> tokenize(const std::string& line);

/// Joins tokens back into plain text, the inverse of tokenize.
std::string detokenize(const std::vector<std::string>& tokens);

}  // namespace tfm
