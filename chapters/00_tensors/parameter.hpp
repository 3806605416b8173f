// parameter.hpp — a learnable tensor with its gradient and its PyTorch name.
//
// There is no autograd in this book: every module writes its backward pass by hand, and
// each backward *adds* its contribution to the gradients of the module's parameters
// (`grad += ...`), so a parameter used twice — or a batch split in two — sums correctly.
// The optimiser then walks the same list of parameters.
//
// Each parameter carries its full PyTorch `state_dict` key, e.g.
// `encoder.layers.0.self_attn.linears.0.weight`, and PyTorch's layout (an nn.Linear
// weight is [out, in]). A module receives its name prefix when it is built and exposes
// its parameters through `parameters()`; a parent module concatenates its children's
// lists. Checkpoints, gradient checks and the optimiser all rely on that one list.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <xtensor/xarray.hpp>
#include <xtensor/xbuilder.hpp>

#include "shapes.hpp"

namespace tfm {

/// A learnable tensor: its value, the gradient accumulated by backward passes, and its
/// PyTorch state_dict key. Ranks differ (a bias is 1-D, a weight 2-D), hence xarray.
struct Parameter {
    std::string name;
    xt::xarray<float> value;
    xt::xarray<float> grad;

    Parameter() = default;
    Parameter(std::string name_, const std::vector<std::size_t>& shape)
        : name(std::move(name_)), value(xt::zeros<float>(shape)), grad(xt::zeros<float>(shape)) {}

    /// Sets the gradient to zero, keeping its storage (no allocation).
    void zero_grad() { grad.fill(0.0f); }
};

/// The parameters of a module, in a fixed order, by pointer (the module owns them).
using ParameterList = std::vector<Parameter*>;

/// Appends `more` to `list`: how a module gathers its children's parameters.
inline void append(ParameterList& list, const ParameterList& more) {
    list.insert(list.end(), more.begin(), more.end());
}

/// Zeroes every gradient in the list.
inline void zero_grads(const ParameterList& params) {
    for (Parameter* p : params) p->zero_grad();
}

/// The number of scalars in the list (the "parameter count" of a model).
inline std::size_t count_scalars(const ParameterList& params) {
    std::size_t n = 0;
    for (const Parameter* p : params) n += p->value.size();
    return n;
}

/// The parameter with the given name; throws std::out_of_range naming it if absent.
inline Parameter& find_parameter(const ParameterList& params, const std::string& name) {
    for (Parameter* p : params) {
        if (p->name == name) return *p;
    }
    throw std::out_of_range("no parameter named '" + name + "'");
}

}  // namespace tfm
