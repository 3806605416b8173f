// Chapter 02 — positional encoding: the demo.
//
// Builds the sinusoid table, prints values a reader can check by hand, shows that two
// equal tokens at different positions stop being equal, checks sin² + cos² = 1, shows
// dropout at work, and the error for a sequence longer than the table.
// With --figures DIR it writes the numbers behind the chapter's two figures.
//
//   ch02_positional_encoding [--seed S] [--figures DIR]
#include <cmath>
#include <iostream>
#include <string>
#include <xtensor/xio.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xview.hpp>

#include "00_tensors/figures.hpp"
#include "00_tensors/program.hpp"
#include "00_tensors/random.hpp"
#include "00_tensors/shapes.hpp"
#include "01_embeddings/embeddings.hpp"
#include "positional_encoding.hpp"

using namespace tfm;

int main(int argc, char** argv) {
    return run_program(
        argc, argv, "ch02_positional_encoding", "Chapter 02 — positional encoding",
        [](const ProgramOptions& options) {
            const std::uint64_t seed = options.seed;
            const std::string& figures = options.figures;
            const Tensor<2> pe_LC = positional_table(50, 8);
            std::cout
                << "\nPE table [50, 8], positions 0, 1 and 2:\n"
                << xt::view(pe_LC, xt::range(0, 3)) << "\n"
                << "position 0 is (sin 0, cos 0, ...) = (0, 1, 0, 1, ...); channel 0 is sin(pos),\n"
                << "channel 6 turns 1000x slower: sin(pos / 10000^(6/8)).\n";

            double worst = 0;
            for (std::size_t pos = 0; pos < 50; ++pos) {
                for (std::size_t i = 0; i < 4; ++i) {
                    const double s = pe_LC(pos, 2 * i), c = pe_LC(pos, 2 * i + 1);
                    worst = std::max(worst, std::abs(s * s + c * c - 1.0));
                }
            }
            std::cout << "largest |sin² + cos² − 1| over the table: " << worst << "\n";

            //! [embed and encode]
            Rng rng(seed);
            Embeddings embed(10, 8, rng);
            PositionalEncoding position(8, /*dropout=*/0.1f, rng);
            position.train(false);  // evaluation: no dropout, so the result is deterministic
            const xt::xtensor<std::int64_t, 2> ids_BL = {
                {3, 4, 5, 6, 3, 7}};  // "the cat sat on the mat"
            const Tensor<3> x_BLC = embed.forward(ids_BL);
            const Tensor<3> y_BLC = position.forward(x_BLC);
            //! [embed and encode]
            const double before =
                xt::amax(xt::abs(xt::view(x_BLC, 0, 0) - xt::view(x_BLC, 0, 4)))();
            const double after = xt::amax(xt::abs(xt::view(y_BLC, 0, 0) - xt::view(y_BLC, 0, 4)))();
            std::cout << "\n\"the\" at positions 0 and 4: largest difference " << before
                      << " before the encoding, " << after << " after it.\n";

            position.train(true);
            const Tensor<3> dropped_BLC = position.forward(x_BLC);
            std::size_t zeros = 0;
            for (float v : dropped_BLC) zeros += v == 0.0f;
            std::cout << "training mode, dropout 0.1: " << zeros << " of " << dropped_BLC.size()
                      << " entries zeroed, the rest scaled by 1/0.9\n";

            try {
                PositionalEncoding short_table(8, 0.0f, rng, /*max_len=*/4);
                short_table.forward(x_BLC);
            } catch (const std::exception& e) {
                std::cout << "\na table of 4 positions, a sentence of 6: " << e.what() << "\n";
            }

            if (!figures.empty()) {
                // As the Annotated Transformer draws it: C = 20, channels 4-7, 100 positions.
                const Tensor<2> pe20 = positional_table(100, 20);
                Tensor<2> curves = xt::zeros<float>({std::size_t(100), std::size_t(5)});
                for (std::size_t pos = 0; pos < 100; ++pos) {
                    curves(pos, 0) = float(pos);
                    for (std::size_t c = 0; c < 4; ++c) curves(pos, c + 1) = pe20(pos, 4 + c);
                }
                write_matrix_data(figures + "/pe_curves.dat", curves);
                write_matrix_data(figures + "/pe_heatmap.dat", positional_table(100, 128));
                std::cout << "figure data written to " << figures << "\n";
            }
        });
}
