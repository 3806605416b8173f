// Solution to exercise 14.3 — past the context with another base.
#include "14_modern_decoder/exercises/exercises.hpp"

#include <stdexcept>

namespace tfm::exercises {

std::vector<LossInsideAndPast> loss_past_context_by_base(ModernDecoder& model,
                                                         const std::vector<std::int64_t>& data,
                                                         std::size_t length,
                                                         const std::vector<double>& bases) {
    const ModernConfig& c = model.config();
    if (c.position != "rope")
        throw std::invalid_argument("loss_past_context_by_base: the model has learned positions");
    if (length <= c.block_size)
        throw std::invalid_argument("loss_past_context_by_base: windows of " +
                                    std::to_string(length) + " are not past the context of " +
                                    std::to_string(c.block_size));
    std::vector<LossInsideAndPast> result;
    for (const double base : bases) {
        // The base is no parameter: a model with another base and the same weights.
        ModernConfig other = c;
        other.rope_base = base;
        ModernDecoder turned(other, 0);
        const ParameterList from = model.parameters(), to = turned.parameters();
        for (std::size_t i = 0; i < from.size(); ++i) to[i]->value = from[i]->value;
        const PositionLosses p = loss_by_position(turned, data, length, 8);
        LossInsideAndPast r;
        for (std::size_t l = 0; l < length; ++l)
            (l < c.block_size ? r.inside : r.past) += p.loss[l];
        r.inside /= double(c.block_size);
        r.past /= double(length - c.block_size);
        result.push_back(r);
    }
    return result;
}

}  // namespace tfm::exercises
