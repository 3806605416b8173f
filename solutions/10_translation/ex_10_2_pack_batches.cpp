// Solution to exercise 10.2 — packing sorted sentences into token-budget batches.
#include "10_translation/exercises/exercises.hpp"

#include <algorithm>
#include <stdexcept>

namespace tfm::exercises {

std::vector<std::vector<std::size_t>> pack_by_budget(const std::vector<std::size_t>& lengths,
                                                     std::size_t budget) {
    if (budget == 0) throw std::invalid_argument("pack_by_budget: the budget must be positive");
    std::vector<std::vector<std::size_t>> batches;
    std::vector<std::size_t> batch;
    std::size_t longest = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        const std::size_t rectangle = (batch.size() + 1) * std::max(longest, lengths[i]);
        if (!batch.empty() && rectangle > budget) {
            batches.push_back(std::move(batch));
            batch.clear();
            longest = 0;
        }
        batch.push_back(i);
        longest = std::max(longest, lengths[i]);
    }
    if (!batch.empty()) batches.push_back(std::move(batch));
    return batches;
}

}  // namespace tfm::exercises
