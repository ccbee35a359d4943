// The LRA models: parameter names and counts against the reference, gradient checks of the
// encoder block and both models in float64, pooling.
#include <gtest/gtest.h>

#include "layers/encoder.h"
#include "models/model.h"
#include "tests/support/gradcheck.h"

namespace lm::models {
namespace {

using lm::testing::gradcheck;

ModelConfig lra_listops(const std::string& attention) {
    ModelConfig cfg;
    cfg.num_classes = 10;
    cfg.encoder.vocab_size = 32;
    cfg.encoder.max_len = 2048;
    cfg.encoder.attention.type = attention;
    return cfg;
}

TEST(Models, ParameterCountsMatchTheReference) {
    Generator init(0), drop(0);
    // the reference LRA models: ListOps 209,802 (softmax) and 209,942 (Nystrom)
    EXPECT_EQ(make_model(lra_listops("softmax"), init, drop)->num_parameters(), 209802);
    EXPECT_EQ(make_model(lra_listops("nystrom"), init, drop)->num_parameters(), 209942);
}

TEST(Models, CheckpointKeyNames) {
    Generator init(0), drop(0);
    auto model = make_model(lra_listops("nystrom"), init, drop);
    std::vector<std::string> names;
    for (auto& [name, t] : model->named_parameters())
        names.push_back(name);
    for (const char* expected :
         {"encoder.embedding.weight", "encoder.position.weight",
          "encoder.layers.0.attention.query.weight",
          "encoder.layers.1.attention.kernel.conv.weight", "encoder.layers.1.ffn.fc2.bias",
          "encoder.norm.weight", "head.fc2.bias"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
    }
}

// A tiny float64 model in eval mode, the batch, and the gradcheck inputs (all parameters).
struct Tiny {
    Generator init{3}, drop{4};
    std::shared_ptr<Model> model;
    Inputs in;
};

std::unique_ptr<Tiny> tiny(const std::string& type,
                           const std::string& attention,
                           const std::string& pooling) {
    auto t = std::make_unique<Tiny>();
    ModelConfig cfg;
    cfg.type = type;
    cfg.pooling = pooling;
    cfg.num_classes = 3;
    cfg.encoder = {11, 12, 8, 12, 2, 4, 1, 0.1, "gelu", "learned", 1e-5, {}};
    cfg.encoder.attention.type = attention;
    cfg.encoder.attention.landmarks = 4;
    cfg.encoder.attention.conv_kernel = 3;
    t->model = make_model(cfg, t->init, t->drop);
    t->model->to(DType::Float64);
    t->model->eval();
    auto ids =
        from_vector(std::vector<int32_t>{1, 5, 3, 9, 2, 2, 7, 0, 0, 0, 4, 6, 8, 1, 3, 10, 0, 0},
                    {2, 9}, {DType::Int32});
    auto mask =
        from_vector(std::vector<double>{1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0},
                    {2, 9}, {DType::Float64});
    t->in = {ids, mask, ids, mask, Tensor()};
    return t;
}

void check_model(const std::string& type,
                 const std::string& attention,
                 const std::string& pooling) {
    auto t = tiny(type, attention, pooling);
    gradcheck([&](const std::vector<Tensor>&) { return t->model->forward(t->in); },
              t->model->parameters(), {}, type + "/" + attention + "/" + pooling);
}

TEST(Models, ClassifierGradcheckNystromMean) {
    check_model("classifier", "nystrom", "mean");
}
TEST(Models, ClassifierGradcheckSoftmaxCls) {
    check_model("classifier", "softmax", "cls");
}
TEST(Models, DualEncoderGradcheck) {
    check_model("dual_encoder", "nystrom", "mean");
}

TEST(Models, EncoderBlockGradcheck) {
    Generator init(5), drop(6);
    nn::EncoderConfig cfg{11, 12, 8, 12, 2, 4, 1, 0.1, "gelu", "learned", 1e-5, {}};
    cfg.attention.landmarks = 3;
    nn::EncoderBlock block(cfg, init, drop);
    block.to(DType::Float64);
    block.eval();
    Tensor x = lm::testing::leaf({2, 9, 8}, 7);
    const Tensor mask = ones({2, 9}, {DType::Float64});
    std::vector<Tensor> inputs = block.parameters();
    inputs.insert(inputs.begin(), x);
    gradcheck([&](const std::vector<Tensor>& in) { return block.forward(in[0], mask); }, inputs, {},
              "encoder block");
}

TEST(Models, MeanPoolingIgnoresPadding) {
    auto x = from_vector(std::vector<double>{1, 2, 3, 4, 100, 100}, {1, 3, 2}, {DType::Float64});
    auto mask = from_vector(std::vector<double>{1, 1, 0}, {1, 3}, {DType::Float64});
    lm::testing::expect_values(pool(x, mask, Pooling::Mean), {2, 3});
    lm::testing::expect_values(pool(x, mask, Pooling::Cls), {1, 2});
}

}  // namespace
}  // namespace lm::models
