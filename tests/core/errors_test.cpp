// Clear errors: shape mismatches (matmul, binary broadcast, concat, view and friends), device
// mismatches (a tensor whose storage claims cuda:0 against a CPU tensor), dtype mismatches, bad
// indices and bad arguments. Each message must name the op and the offending values.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

// Expects f to throw lm::Error whose message contains every one of `parts`.
template <class F>
void expect_error(F&& f, const std::vector<std::string>& parts) {
    try {
        f();
        ADD_FAILURE() << "no error thrown; expected one mentioning " << parts.front();
    } catch (const Error& e) {
        const std::string msg = e.what();
        for (const std::string& p : parts) {
            EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
        }
    }
}

TEST(Errors, MatmulShapeMismatch) {
    const Tensor a = zeros({2, 3}), b = zeros({4, 5});
    expect_error([&] { matmul(a, b); }, {"matmul", "[2, 3]", "[4, 5]"});
    expect_error([&] { matmul(zeros({2, 2, 3}), zeros({3, 3, 4})); }, {"matmul", "[2]", "[3]"});
    expect_error([&] { matmul(zeros({3}), zeros({4})); }, {"matmul", "[3]", "[4]"});
    expect_error([&] { matmul(scalar_tensor(1.0), zeros({2})); }, {"matmul"});
    expect_error([&] { linear(zeros({2, 3}), zeros({4, 5})); }, {"linear", "[2, 3]", "[4, 5]"});
    expect_error([&] { linear(zeros({2, 3}), zeros({4, 3}), zeros({5})); }, {"linear", "[5]"});
    expect_error(
        [&] {
            matmul(zeros({2, 3}), zeros({3, 2}, {DType::Float64}));
        },
        {"matmul", "float32", "float64"});
    expect_error(
        [&] {
            matmul(arange(4).view({2, 2}), arange(4).view({2, 2}));
        },
        {"matmul", "int64"});
}

TEST(Errors, BinaryBroadcastMismatch) {
    expect_error([] { add(zeros({2, 3}), zeros({4})); }, {"add", "[2, 3]", "[4]"});
    expect_error([] { zeros({2, 3}) * zeros({3, 2}); }, {"mul", "[2, 3]", "[3, 2]"});
    expect_error([] { where(full({2}, 1, {DType::Bool}), zeros({3}), zeros({3})); },
                 {"where", "[2]", "[3]"});
    expect_error([] { add(zeros({2}), zeros({2}, {DType::Float64})); },
                 {"add", "float32", "float64"});
    expect_error([] { where(zeros({2}), zeros({2}), zeros({2})); }, {"where", "bool"});
    expect_error([] { softmax(zeros({2, 3}), zeros({2, 4})); }, {"softmax", "[2, 4]"});
    expect_error([] { zeros({2, 3}).copy_(zeros({3, 3})); }, {"copy", "[3, 3]", "[2, 3]"});
}

TEST(Errors, ConcatMismatch) {
    expect_error([] { concat({zeros({2, 3}), zeros({2, 4})}, 0); }, {"concat", "[2, 4]", "[2, 3]"});
    expect_error([] { concat({zeros({2, 3}), zeros({2, 3, 1})}, 0); }, {"concat", "[2, 3, 1]"});
    expect_error([] { concat({zeros({2}), zeros({2}, {DType::Int64})}, 0); }, {"concat", "int64"});
    expect_error([] { concat({}, 0); }, {"concat"});
    expect_error([] { stack({zeros({2}), zeros({3})}, 0); }, {"concat", "[1, 3]"});
    expect_error([] { split(zeros({5}), {2, 2}, 0); }, {"split", "4", "5"});
}

TEST(Errors, ViewAndShapeArguments) {
    const Tensor t = zeros({2, 3, 4});
    expect_error([&] { t.view({5, 5}); }, {"view", "[5, 5]", "24"});
    expect_error([&] { t.transpose(1, 2).view({24}); }, {"view", "[2, 4, 3]", "reshape"});
    expect_error([&] { t.view({-1, -1}); }, {"view", "-1"});
    expect_error([&] { t.reshape({7, -1}); }, {"reshape", "24"});
    expect_error([&] { t.transpose(0, 3); }, {"transpose", "dim 3"});
    expect_error([&] { t.permute({0, 1}); }, {"permute"});
    expect_error([&] { t.permute({0, 1, 1}); }, {"permute", "repeated"});
    expect_error([&] { t.select(1, 3); }, {"select", "index 3", "size 3"});
    expect_error([&] { t.narrow(2, 3, 2); }, {"narrow", "size 4"});
    expect_error([&] { t.slice(0, 0, 2, 0); }, {"slice", "step"});
    expect_error([&] { t.expand({3, 3, 4}); }, {"expand", "[2, 3, 4]", "[3, 3, 4]"});
    expect_error([&] { t.sum({3}); }, {"sum", "dim 3"});
    expect_error([&] { max(t, -4); }, {"max", "dim -4"});
    expect_error([&] { zeros({1, 1, 1, 1, 1, 1, 1, 1}).unsqueeze(0); }, {"8"});
    expect_error([&] { scalar_tensor(1.0).size(1); }, {"size"});
    expect_error([&] { zeros({2}).item(); }, {"item", "2 elements"});
}

TEST(Errors, DeviceMismatchNamesBothDevices) {
    // storage that claims to live on cuda:0; its memory is never dereferenced
    std::vector<float> backing(6);
    const Tensor gpu = from_blob(backing.data(), {2, 3}, DType::Float32, Device::cuda());
    const Tensor cpu = zeros({2, 3});
    EXPECT_EQ(gpu.device(), Device::cuda(0));
    EXPECT_EQ(gpu.str(), "float32[2, 3] on cuda:0");
    expect_error([&] { add(cpu, gpu); }, {"add", "cpu", "cuda:0"});
    expect_error([&] { gpu* cpu; }, {"mul", "cuda:0", "cpu"});
    expect_error([&] { where(full({2, 3}, 1, {DType::Bool}), cpu, gpu); }, {"cpu", "cuda:0"});
    expect_error([&] { concat({cpu, gpu}, 0); }, {"concat", "cpu", "cuda:0"});
    expect_error([&] { matmul(cpu, gpu.mT()); }, {"matmul", "cpu", "cuda:0"});
    expect_error([&] { matmul(gpu, cpu.mT()); }, {"matmul", "cpu", "cuda:0"});
    expect_error([&] { linear(cpu, gpu); }, {"linear", "cpu", "cuda:0"});
    expect_error([&] { layer_norm(cpu.select(0, 0), gpu.select(0, 0), Tensor()); },
                 {"layer_norm", "cpu", "cuda:0"});
    const Tensor ids = from_blob(backing.data(), {3}, DType::Int32, Device::cuda());
    expect_error([&] { embedding(ids, cpu); }, {"cpu", "cuda:0"});
    // and in a build without CUDA, running a kernel on it says so
    expect_error([&] { exp(gpu); }, {"CUDA"});
}

TEST(Errors, IndicesAndArguments) {
    const Tensor w = zeros({4, 2});
    const Tensor bad = from_vector(std::vector<int64_t>{0, 4}, {2}, {DType::Int64});
    expect_error([&] { embedding(bad, w); }, {"index 4", "size 4"});
    expect_error([&] { index_select(w, 0, bad); }, {"index_select", "index 4"});
    expect_error([&] { index_select(w, 0, zeros({1})); }, {"index_select", "float32"});
    expect_error(
        [&] {
            gather(
                w, 1,
                from_vector(std::vector<int64_t>{0, 2, 1, 1, 0, 0, 1, 1}, {4, 2}, {DType::Int64}));
        },
        {"gather", "index 2", "size 2"});
    const Tensor logits = zeros({2, 3});
    expect_error(
        [&] {
            cross_entropy(logits, from_vector(std::vector<int64_t>{0, 3}, {2}, {DType::Int64}));
        },
        {"cross_entropy", "target 3", "3 classes"});
    expect_error([&] { cross_entropy(logits, zeros({2})); }, {"cross_entropy", "float32"});
    expect_error([&] { cross_entropy(logits, arange(3)); }, {"cross_entropy", "[3]", "[2, 3]"});
    expect_error([&] { cross_entropy(logits, arange(2), -100, 1.5); }, {"label_smoothing"});
    expect_error([&] { dropout(logits, 1.0, true); }, {"dropout", "p"});
    expect_error([&] { layer_norm(logits, zeros({4}), Tensor()); }, {"layer_norm", "[4]", "3"});
    expect_error(
        [&] {
            depthwise_conv_seq(zeros({1, 2, 5, 3}), zeros({2, 4}));
        },
        {"depthwise_conv_seq", "odd"});
    expect_error(
        [&] {
            depthwise_conv_seq(zeros({1, 2, 5, 3}), zeros({3, 3}));
        },
        {"depthwise_conv_seq", "[3, 3]"});
    expect_error([&] { clamp(logits, 1.0, 0.0); }, {"clamp"});
    expect_error([&] { softplus(logits, 0.0); }, {"softplus", "beta"});
    expect_error([&] { pad(logits, {1}); }, {"pad"});
    expect_error([&] { chunk(logits, 0, 0); }, {"chunk"});
    expect_error([&] { mean(arange(3)); }, {"mean", "int64"});
    expect_error([&] { dtype_from_name("float8"); }, {"float8", "float32"});
    expect_error([&] { Device::parse("gpu"); }, {"gpu", "cuda:N"});
}

}  // namespace
}  // namespace lm
