// embeddings.hpp — token embeddings: from token ids to vectors (chapter 01).
//
// The model reads token ids, integers in [0, V). An embedding table `lut` [V, C] holds
// one learned C-vector per token; looking a token up is reading its row. The Annotated
// Transformer (following §3.4 of the paper) multiplies the result by √C:
//
//     x[b, l, :] = lut[ids[b, l], :] · √C
//
// Backward: each output row is a copy of one table row (times √C), so the gradient of
// a table row is the sum of the gradients of every position that read it:
//
//     ∂L/∂lut[v, :] += √C · Σ_{(b,l): ids[b,l] = v} ∂L/∂x[b, l, :]
//
// a "scatter-add". A token that appears twice gets both contributions. There is no
// gradient with respect to the ids: they are integers, not parameters.
//
// Names: the table is `<prefix>lut.weight`, as in the Annotated Transformer's
// `Embeddings` module (`src_embed.0.lut.weight`), in nn.Embedding's layout [V, C].
//
// Sharing: `share(table)` makes the module read and accumulate into another [V, C]
// parameter instead of its own (chapter 10 ties the source and target embeddings and
// the generator to one matrix). Because every backward *adds* into the gradient, the
// shared matrix receives the sum of the gradients of all its uses, which is exactly its
// gradient.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <xtensor/xtensor.hpp>

#include "00_tensors/parameter.hpp"
#include "00_tensors/random.hpp"

namespace tfm {

class Embeddings {
public:
    /// A [vocab, d_model] table initialised as nn.Embedding does, N(0, 1). (make_model
    /// in chapter 07 re-initialises it with Xavier, as the Annotated Transformer does.)
    /// With `scale_by_sqrt_c` false the lookup is not scaled (GPT-style models, chapter 12).
    Embeddings(std::size_t vocab, std::size_t d_model, Rng& rng, const std::string& prefix = "",
               bool scale_by_sqrt_c = true);

    std::size_t vocab() const { return vocab_; }
    std::size_t d_model() const { return d_model_; }

    /// ids_BL (int64 token ids) → x_BLC = lut[ids] · √C. Keeps the ids for backward.
    /// An id outside [0, V) is an std::out_of_range naming the id, its position and V.
    Tensor<3> forward(const xt::xtensor<std::int64_t, 2>& ids_BL);

    /// Scatter-adds √C · dx_BLC into the table's gradient, row ids[b, l].
    void backward(const Tensor<3>& dx_BLC);

    ParameterList parameters() { return {&table()}; }

    /// Uses `table` ([V, C], owned elsewhere, at a stable address) instead of `lut`,
    /// whose storage is released. Throws a ShapeError if the shapes differ.
    void share(Parameter& table);
    /// The table in use: `lut`, or the shared one.
    Parameter& table() { return shared_ != nullptr ? *shared_ : lut; }

    Parameter lut;  ///< [V, C] (empty when shared)

private:
    std::size_t vocab_;
    std::size_t d_model_;
    float scale_;                          ///< √C
    xt::xtensor<std::int64_t, 2> ids_BL_;  ///< the last forward's ids
    Parameter* shared_ = nullptr;          ///< the shared table, if any
};

/// Checks that every id is in [0, vocab); throws std::out_of_range naming the first bad
/// id, its position [b, l] and the vocabulary size. Used wherever ids enter the model.
void check_token_ids(const xt::xtensor<std::int64_t, 2>& ids_BL, std::size_t vocab,
                     const std::string& what);

}  // namespace tfm
