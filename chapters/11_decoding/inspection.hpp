// inspection.hpp — one translation seen from the inside (chapter 11).
//
// For one sentence and one search, everything the book's "Look inside" page shows:
//
//   * the translation, token by token, with the most probable next tokens at each
//     position — read from one forward pass over the source and the finished output,
//     which by the cache section's argument gives the probabilities the search saw;
//   * the search step by step: the hypotheses still open after each step and those that
//     finished at it, each with log P and its length-penalised score;
//   * the attention weights of every layer and head: the encoder's self-attention, the
//     decoder's self-attention and the cross-attention.
//
// `ch11_decoding inspect` prints it as JSON, one line per sentence; the page gets the
// same JSON from this same code compiled to WebAssembly, so the two can be compared
// number for number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "decoding.hpp"

namespace tfm {

/// A candidate for the next token, and the model's probability for it.
struct TokenProbability {
    std::int64_t id = 0;
    std::string token;
    double probability = 0.0;
};

struct Inspection {
    std::string sentence;        ///< as given
    DecodeOptions options;       ///< the search: beam, alpha, extra
    Hypothesis best;             ///< the search's result (tokens without `<s>` and `</s>`)
    bool wrote_end = false;      ///< whether it ended with `</s>` (else at the length limit)
    std::size_t max_tokens = 0;  ///< the length limit, `</s>` included (max_output_tokens)
    std::string translation;     ///< best's tokens as text
    /// Per position of the decoder's input (`<s>`, then each output token): the most
    /// probable next tokens, the most probable first.
    std::vector<std::vector<TokenProbability>> next_tokens;
    /// Per position, the token the translation wrote there and its probability: each
    /// output token, then `</s>` if it wrote one. (Beam search may write a token outside
    /// the most probable few.)
    std::vector<TokenProbability> written;
    std::vector<SearchStep> steps;  ///< the search, step by step
    AttentionMaps maps;             ///< every layer's weights, on the source and best's tokens
};

/// Translates `sentence` with the search of `options` (greedy when beam is 1) and
/// records the search, the `top` most probable next tokens at each position, and the
/// attention maps. The translation is the one translate_with gives for the same options.
/// A sentence with no tokens is std::invalid_argument: there is nothing to look inside.
Inspection inspect_translation(Translator& translator, const std::string& sentence,
                               const DecodeOptions& options, std::size_t top = 5);

/// The inspection as JSON (the format `ch11_decoding inspect` prints and the page reads):
///
///     { "sentence", "translation", "beam", "alpha", "log_prob", "score", "wrote_end",
///       "max_tokens",
///       "source_tokens": [...], "target_tokens": [...],        as the maps label them
///       "next_tokens": [[{"token", "id", "p"}, ...], ...],      per target position
///       "written": [{"token", "id", "p"}, ...],                 per target position
///       "steps": [{"open": [H...], "finished": [H...]}, ...],  H = {"tokens", "log_prob",
///                                                               "score", "end"}
///       "attention": {"encoder": [layer][head][row][column], "decoder": ..., "cross": ...} }
///
/// Attention weights and probabilities are rounded to 7 decimals (float32 holds about 7
/// significant digits, and it keeps the text short); log-probabilities and scores are
/// written in full. "end" says whether a finished hypothesis wrote `</s>`.
nlohmann::json inspection_json(const Inspection& inspection, const TextCodec& target_codec);

}  // namespace tfm
