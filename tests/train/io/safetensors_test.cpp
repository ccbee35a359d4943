// safetensors: bit-exact round trips of every dtype, the on-disk layout, files written by other
// tools, and rejection of malformed (untrusted) files with errors naming the file and tensor.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/tensor_testing.h"
#include "train/io/safetensors.h"

namespace lm::train {
namespace {

namespace fs = std::filesystem;

class Safetensors : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("lm_safetensors_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    fs::path dir_;
};

std::vector<uint8_t> bytes_of(const Tensor& t) {
    const Tensor c = t.contiguous();
    const auto* p = static_cast<const uint8_t*>(c.raw_data());
    return {p, p + c.nbytes()};
}

// A tensor of `dtype` and `shape` filled with the given raw bytes (repeated).
Tensor raw_tensor(DType dtype, const Shape& shape, const std::vector<uint8_t>& pattern) {
    Tensor t = empty(shape, dtype);
    auto* p = static_cast<uint8_t*>(t.raw_data());
    for (size_t i = 0; i < t.nbytes(); ++i)
        p[i] = pattern[i % pattern.size()];
    return t;
}

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
}

// A file with the given header text (length prefix computed) and data bytes.
std::string file_bytes(const std::string& header, const std::string& data) {
    const uint64_t n = header.size();
    std::string out(reinterpret_cast<const char*>(&n), 8);
    return out + header + data;
}

TEST_F(Safetensors, RoundTripsEveryDTypeBitExactly) {
    const float nan_payload = [] {
        const uint32_t bits = 0x7fc12345u;
        float f;
        std::memcpy(&f, &bits, 4);
        return f;
    }();
    nn::NamedTensors in = {
        {"f32", from_vector(std::vector<float>{1.5f, -0.0f, nan_payload,
                                               std::numeric_limits<float>::infinity(), 1e-45f, 3},
                            {2, 3}, {DType::Float32})},
        {"f64", testing::random_tensor({4, 1, 2}, 3, DType::Float64)},
        {"i32",
         from_vector(std::vector<int32_t>{INT32_MIN, -1, 0, INT32_MAX}, {4}, {DType::Int32})},
        {"i64", from_vector(std::vector<int64_t>{INT64_MIN, 42, INT64_MAX}, {3}, {DType::Int64})},
        {"bool", raw_tensor(DType::Bool, {5}, {1, 0, 0, 1, 1})},
        {"bf16", raw_tensor(DType::BFloat16, {3}, {0x80, 0x3f, 0xc1, 0x7f, 0x00, 0x80})},
        {"f16",
         raw_tensor(DType::Float16, {2, 2}, {0x00, 0x3c, 0xff, 0x7b, 0x01, 0x00, 0x00, 0xfc})},
        {"scalar", full({}, 7.25, {DType::Float64})},
        {"empty", empty({0, 3}, DType::Float32)},
        {"strided", testing::noncontiguous(testing::random_tensor({3, 2}, 4, DType::Float32))},
    };
    save_safetensors(path("all.safetensors"), in, {{"format", "pt"}, {"note", "é"}});
    const SafetensorsFile out = load_safetensors(path("all.safetensors"));
    ASSERT_EQ(out.tensors.size(), in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        EXPECT_EQ(out.tensors[i].first, in[i].first);
        EXPECT_EQ(out.tensors[i].second.dtype(), in[i].second.dtype()) << in[i].first;
        EXPECT_EQ(out.tensors[i].second.shape(), in[i].second.shape()) << in[i].first;
        EXPECT_EQ(bytes_of(out.tensors[i].second), bytes_of(in[i].second)) << in[i].first;
    }
    EXPECT_EQ(out.metadata, (std::map<std::string, std::string>{{"format", "pt"}, {"note", "é"}}));
}

TEST_F(Safetensors, LayoutFollowsTheFormat) {
    save_safetensors(
        path("a.safetensors"),
        {{"b", full({2}, 1.0, {DType::Float32})}, {"a", full({1}, 2.0, {DType::Int64})}},
        {{"k", "v"}});
    std::ifstream in(path("a.safetensors"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    uint64_t n;
    std::memcpy(&n, bytes.data(), 8);
    EXPECT_EQ((8 + n) % 8, 0u);
    EXPECT_EQ(bytes.size(), 8 + n + 8 + 8);
    const std::string header = bytes.substr(8, n);
    EXPECT_EQ(header.find_first_of(' '), header.find_last_not_of(' ') + 1);  // trailing padding
    const auto j = nlohmann::json::parse(header);
    EXPECT_EQ(j["__metadata__"]["k"], "v");
    EXPECT_EQ(j["b"]["dtype"], "F32");
    EXPECT_EQ(j["b"]["data_offsets"], nlohmann::json({0, 8}));  // packed in the given order
    EXPECT_EQ(j["a"]["data_offsets"], nlohmann::json({8, 16}));
    EXPECT_EQ(j["a"]["shape"], nlohmann::json({1}));
}

TEST_F(Safetensors, ReadsFilesWrittenByOtherTools) {
    // Header keys in another order than the data, like the Python package writes them.
    const std::string header =
        R"({"__metadata__":{"format":"pt"},"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},)"
        R"("y":{"dtype":"I32","shape":[],"data_offsets":[0,4]}})";
    const float x[2] = {1.0f, -2.0f};
    const int32_t y = 9;
    std::string data(reinterpret_cast<const char*>(&y), 4);
    data += std::string(reinterpret_cast<const char*>(x), 8);
    write_bytes(path("py.safetensors"), file_bytes(header, data));
    const SafetensorsFile f = load_safetensors(path("py.safetensors"));
    ASSERT_EQ(f.tensors.size(), 2u);
    EXPECT_EQ(f.tensors[0].first, "y");  // in data order
    EXPECT_EQ(f.tensors[0].second.item(), 9);
    testing::expect_values(f.tensors[1].second, {1.0, -2.0}, 0);
}

TEST_F(Safetensors, RejectsBadNamesOnSave) {
    const Tensor t = zeros({1});
    EXPECT_THROW(save_safetensors(path("d.safetensors"), {{"a", t}, {"a", t}}), Error);
    EXPECT_THROW(save_safetensors(path("m.safetensors"), {{"__metadata__", t}}), Error);
    EXPECT_THROW(save_safetensors(path("e.safetensors"), {{"", t}}), Error);
    EXPECT_FALSE(fs::exists(path("d.safetensors")));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 0);
}

}  // namespace
}  // namespace lm::train
