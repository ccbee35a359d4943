// load_into_module: values copied into parameters and persistent buffers; a checkpoint of a
// different model (missing, unexpected or mis-shaped tensors) is a clear error naming them.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/support/tensor_testing.h"
#include "train/io/module_state.h"

namespace lm::train {
namespace {

class TinyLinear : public nn::Module {
  public:
    TinyLinear(int64_t in, int64_t out) {
        weight = zeros({out, in});
        bias = zeros({out});
        register_parameter("weight", &weight);
        register_parameter("bias", &bias);
    }
    Tensor weight, bias;
};

class TinyModel : public nn::Module {
  public:
    explicit TinyModel(int64_t hidden, DType buffer_dtype = DType::Float32) {
        fc = register_module("fc", std::make_shared<TinyLinear>(3, hidden));
        features = zeros({2, 2}, {buffer_dtype});
        scratch = zeros({5});
        register_buffer("features", &features);
        register_buffer("scratch", &scratch, /*persistent=*/false);
    }
    std::shared_ptr<TinyLinear> fc;
    Tensor features, scratch;
};

nn::NamedTensors source_state(int64_t hidden) {
    return {{"fc.weight", testing::random_tensor({hidden, 3}, 1, DType::Float32)},
            {"fc.bias", testing::random_tensor({hidden}, 2, DType::Float32)},
            {"features", testing::random_tensor({2, 2}, 3, DType::Float32)}};
}

std::string load_error(nn::Module& m, const nn::NamedTensors& st) {
    try {
        load_into_module(m, st, "run/model.safetensors");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

bool has(const std::string& msg, const std::string& part) {
    return msg.find(part) != std::string::npos;
}

TEST(ModuleState, NamesAndLoad) {
    TinyModel m(4);
    std::vector<std::string> names;
    for (const auto& [name, t] : module_state(m))
        names.push_back(name);
    EXPECT_EQ(names, (std::vector<std::string>{"fc.weight", "fc.bias", "features"}));
    const nn::NamedTensors src = source_state(4);
    load_into_module(m, src, "test");
    EXPECT_EQ(testing::max_abs_diff(m.fc->weight, src[0].second), 0);
    EXPECT_EQ(testing::max_abs_diff(m.fc->bias, src[1].second), 0);
    EXPECT_EQ(testing::max_abs_diff(m.features, src[2].second), 0);
    EXPECT_TRUE(m.fc->weight.requires_grad());
    EXPECT_TRUE(m.fc->weight.is_leaf());
}

TEST(ModuleState, MismatchesAreNamed) {
    TinyModel m(4);
    std::string msg = load_error(m, source_state(8));  // a wider model
    EXPECT_TRUE(has(msg, "run/model.safetensors")) << msg;
    EXPECT_TRUE(has(msg, "'fc.weight' is float32[8, 3] in the checkpoint but float32[4, 3]"))
        << msg;
    nn::NamedTensors missing = source_state(4);
    missing.pop_back();
    msg = load_error(m, missing);
    EXPECT_TRUE(has(msg, "missing: 'features'")) << msg;
    nn::NamedTensors extra = source_state(4);
    extra.emplace_back("attention.landmarks", zeros({2}));
    msg = load_error(m, extra);
    EXPECT_TRUE(has(msg, "unexpected: 'attention.landmarks'")) << msg;
    TinyModel m64(4, DType::Float64);
    msg = load_error(m64, source_state(4));
    EXPECT_TRUE(has(msg, "'features' is float32[2, 2] in the checkpoint but float64[2, 2]")) << msg;
    EXPECT_EQ(testing::max_abs_diff(m64.fc->weight, zeros({4, 3})), 0);  // nothing was copied
}

}  // namespace
}  // namespace lm::train
