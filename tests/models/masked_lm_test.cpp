// The masked-language model (models/masked_lm.h): parameter names with and without tying, a
// float64 gradient check through the tied head, logits only at the predicted positions, and
// a loss that does not depend on the tokens that are not predicted.
#include <gtest/gtest.h>

#include "models/masked_lm.h"
#include "tests/support/gradcheck.h"

namespace lm::models {
namespace {

constexpr int64_t kVocab = 12;  // 11 real/special ids + MASK

ModelConfig tiny_config(bool tie) {
    ModelConfig cfg;
    cfg.type = "masked_lm";
    cfg.tie_embeddings = tie;
    cfg.encoder = {kVocab, 12, 8, 12, 2, 4, 1, 0.1, "gelu", "learned", 1e-5, {}};
    cfg.encoder.attention.type = "nystrom";
    cfg.encoder.attention.landmarks = 4;
    cfg.encoder.attention.conv_kernel = 3;
    return cfg;
}

std::vector<std::string> names_of(const Model& m) {
    std::vector<std::string> names;
    for (const auto& [name, t] : m.named_parameters())
        names.push_back(name);
    return names;
}

bool has(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

Inputs batch(const std::vector<int64_t>& positions) {
    Inputs in;
    in.ids =
        from_vector(std::vector<int32_t>{1, 5, 11, 9, 2, 2, 7, 0, 0, 1, 11, 6, 8, 11, 3, 10, 0, 0},
                    {2, 9}, {DType::Int32});
    in.mask = from_vector(std::vector<double>{1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0},
                          {2, 9}, {DType::Float64});
    in.positions = from_vector(positions, {static_cast<int64_t>(positions.size())}, {DType::Int64});
    return in;
}

TEST(MaskedLm, TiedHeadAddsNoProjectionOfItsOwn) {
    Generator init(1), drop(2);
    const auto tied = make_model(tiny_config(true), init, drop);
    const auto untied = make_model(tiny_config(false), init, drop);
    const auto t = names_of(*tied), u = names_of(*untied);
    for (const char* name : {"encoder.embedding.weight", "mlm_head.dense.weight",
                             "mlm_head.norm.weight", "mlm_head.bias"}) {
        EXPECT_TRUE(has(t, name)) << name;
        EXPECT_TRUE(has(u, name)) << name;
    }
    EXPECT_FALSE(has(t, "mlm_head.decoder.weight"));
    EXPECT_TRUE(has(u, "mlm_head.decoder.weight"));
    EXPECT_EQ(untied->num_parameters() - tied->num_parameters(), kVocab * 8);
}

TEST(MaskedLm, GradcheckThroughTheTiedHead) {
    Generator init(3), drop(4);
    const auto model = make_model(tiny_config(true), init, drop);
    model->to(DType::Float64);
    model->eval();
    const Inputs in = batch({2, 10, 13, 4});
    const Tensor logits = model->forward(in);
    EXPECT_EQ(logits.shape(), Shape({4, kVocab}));
    const Tensor targets = from_vector(std::vector<int64_t>{3, 4, 5, 6}, {4}, {DType::Int64});
    // the loss through the head: the embedding gets gradient from the input side and the output
    // projection, both checked against finite differences
    lm::testing::gradcheck(
        [&](const std::vector<Tensor>&) { return cross_entropy(model->forward(in), targets); },
        model->parameters(), {}, "masked_lm tied");
}

TEST(MaskedLm, LogitsAtAPositionAreTheFullSequencesRowThere) {
    Generator init(5), drop(6);
    const auto model = make_model(tiny_config(true), init, drop);
    model->to(DType::Float64);
    model->eval();
    std::vector<int64_t> every;
    for (int64_t i = 0; i < 18; ++i)
        every.push_back(i);
    const Tensor full = model->forward(batch(every));  // [18, V]
    const Tensor some = model->forward(batch({13, 2}));
    EXPECT_LT(lm::testing::max_abs_diff(some.narrow(0, 0, 1), full.narrow(0, 13, 1)), 1e-12);
    EXPECT_LT(lm::testing::max_abs_diff(some.narrow(0, 1, 1), full.narrow(0, 2, 1)), 1e-12);
}

TEST(MaskedLm, ABatchWithoutPositionsIsAnError) {
    Generator init(7), drop(8);
    const auto model = make_model(tiny_config(true), init, drop);
    Inputs in = batch({1});
    in.positions = Tensor();
    EXPECT_THROW(model->forward(in), Error);
}

}  // namespace
}  // namespace lm::models
