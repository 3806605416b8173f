// Chapter 12: the language model the book ships (data/pretrained/shakespeare) loads, knows
// its 65 characters, and predicts a passage of the validation text as well as it did when
// it was committed (its loss there, within a tolerance no CPU's rounding comes near).
//
// After retraining the shipped model (scripts/train-pretrained.sh --install), write the
// expected loss again with
//     TFM_WRITE_EXPECTED=1 build/tests/test_ch12 "[pretrained]"
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "00_tensors/files.hpp"
#include "00_tensors/text_files.hpp"
#include "08_training/loss.hpp"
#include "12_language_model/lm_training.hpp"

using namespace tfm;

TEST_CASE("the shipped language model predicts the validation text as committed", "[pretrained]") {
    LanguageModel lm =
        load_language_model(std::string(TFM_SOURCE_DIR) + "/data/pretrained/shakespeare");
    CHECK(lm.vocabulary.size() == 65);
    CHECK(lm.model.config().n_layer == 4);
    const std::size_t L = lm.model.config().block_size;  // each window: L in, L labels
    // The first 8 windows of the validation split (the last tenth of the text).
    const std::string text =
        read_text(std::string(TFM_SOURCE_DIR) + "/data/tinyshakespeare/input.txt.gz");
    const TextSplit split = split_train_val(lm.vocabulary.encode(text));
    const std::size_t B = 8;
    xt::xtensor<std::int64_t, 2> in_BL = xt::xtensor<std::int64_t, 2>::from_shape({B, L}),
                                 out_BL = xt::xtensor<std::int64_t, 2>::from_shape({B, L});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t l = 0; l < L; ++l) {
            in_BL(b, l) = split.val[b * L + l];
            out_BL(b, l) = split.val[b * L + l + 1];
        }
    lm.model.train(false);
    Tensor<3> logits_BLV = lm.model.forward(in_BL);
    LabelSmoothing cross_entropy(lm.vocabulary.size(), -1, 0.0f);
    const double loss =
        cross_entropy.forward_backward_logits(logits_BLV, out_BL, 0.0f) / double(B * L);
    const std::string expected_path =
        std::string(TFM_FIXTURES_DIR) + "/pretrained/shakespeare.json";
    if (std::getenv("TFM_WRITE_EXPECTED") != nullptr) {
        write_file_atomically(expected_path,
                              nlohmann::json({{"val_loss_8_windows", loss}}).dump(2) + "\n");
        WARN("wrote " << expected_path);
    }
    const double expected =
        nlohmann::json::parse(read_file(expected_path)).at("val_loss_8_windows").get<double>();
    INFO("loss on 8 validation windows " << loss);
    CHECK(loss == Approx(expected).margin(1e-4));
    CHECK(loss < 2.2);  // a trained model: an untrained one scores about log 65 = 4.17
}
