// Solution to exercise 0.3 — how small should a finite-difference step be?
#include "00_tensors/exercises/exercises.hpp"

#include <algorithm>
#include <cmath>

#include "00_tensors/shapes.hpp"
#include "00_tensors/softmax.hpp"

namespace tfm::exercises {

std::vector<double> central_difference_errors(const Tensor<1>& x_V, const Tensor<1>& g_V,
                                              const std::vector<double>& steps) {
    const std::size_t V = x_V.size();
    if (V == 0) throw ShapeError("central_difference_errors: x_V is empty");
    check_size("central_difference_errors: size of g_V", V, g_V.size());
    // The exact gradient: ∂L/∂y = g, through the softmax's backward.
    const Tensor<1> y_V = softmax(x_V);
    const Tensor<1> exact_V = softmax_backward(y_V, g_V);
    double largest = 0.0;
    for (float v : exact_V) largest = std::max(largest, double(std::abs(v)));

    Tensor<1> x = x_V;
    auto loss = [&] {
        const Tensor<1> y = softmax(x);
        double sum = 0.0;
        for (std::size_t i = 0; i < V; ++i) sum += double(g_V(i)) * y(i);
        return sum;
    };
    std::vector<double> errors;
    for (double h : steps) {
        double worst = 0.0;
        for (std::size_t i = 0; i < V; ++i) {
            const float original = x(i);
            x(i) = static_cast<float>(original + h);
            const double plus = loss();
            x(i) = static_cast<float>(original - h);
            const double minus = loss();
            x(i) = original;
            const double numeric = (plus - minus) / (2.0 * h);
            worst = std::max(worst, std::abs(numeric - exact_V(i)));
        }
        errors.push_back(worst / largest);
    }
    return errors;
}

}  // namespace tfm::exercises
