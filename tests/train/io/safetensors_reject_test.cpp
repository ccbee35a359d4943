// Malformed safetensors files are rejected before any data is read, with an error naming the
// file, the tensor and the problem.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/tensor/factory.h"
#include "train/io/safetensors.h"

namespace lm::train {
namespace {

namespace fs = std::filesystem;

std::string file_bytes(const std::string& header, const std::string& data) {
    const uint64_t n = header.size();
    return std::string(reinterpret_cast<const char*>(&n), 8) + header + data;
}

std::string entry(const std::string& name,
                  const std::string& dtype,
                  const std::string& shape,
                  const std::string& offsets) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape +
           ",\"data_offsets\":" + offsets + "}";
}

class SafetensorsReject : public ::testing::Test {
  protected:
    void SetUp() override {
        path_ = (fs::temp_directory_path() /
                 ("lm_st_reject_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".safetensors"))
                    .string();
    }
    void TearDown() override { fs::remove(path_); }

    // Writes `bytes` and expects load_safetensors to fail with every part in the message.
    void expect_rejected(const std::string& bytes, const std::vector<std::string>& parts) {
        std::ofstream(path_, std::ios::binary).write(bytes.data(), bytes.size());
        try {
            load_safetensors(path_);
            ADD_FAILURE() << "accepted a bad file; expected: " << parts.back();
        } catch (const Error& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(path_), std::string::npos) << msg;
            for (const std::string& p : parts)
                EXPECT_NE(msg.find(p), std::string::npos) << msg;
        }
    }

    std::string path_;
};

TEST_F(SafetensorsReject, ShortFileAndHeaderLength) {
    expect_rejected("abc", {"too short"});
    std::string bytes = file_bytes("{}", "");
    const uint64_t huge = 1000;
    std::memcpy(bytes.data(), &huge, 8);
    expect_rejected(bytes, {"header length 1000 runs past the end"});
    const uint64_t giant = ~0ull;
    std::memcpy(bytes.data(), &giant, 8);
    expect_rejected(bytes, {"runs past the end"});
}

TEST_F(SafetensorsReject, BadJson) {
    expect_rejected(file_bytes("{\"a\": [1, 2", ""), {"not valid JSON"});
    expect_rejected(file_bytes("[1, 2]", ""), {"must be a JSON object"});
    expect_rejected(file_bytes("{\"__metadata__\":{\"k\":3}}", ""), {"__metadata__", "string"});
    expect_rejected(file_bytes("{\"w\":5}", ""), {"tensor 'w'", "must be an object"});
}

TEST_F(SafetensorsReject, TruncatedData) {
    const std::string header = std::string("{") + entry("w", "F32", "[4]", "[0,16]") + "}";
    expect_rejected(file_bytes(header, std::string(10, '\0')),
                    {"tensor 'w'", "outside the data section of 10 bytes"});
    // A whole file cut in the middle of its header.
    const std::string full = file_bytes(header, std::string(16, '\0'));
    expect_rejected(full.substr(0, 20), {"runs past the end"});
}

TEST_F(SafetensorsReject, Offsets) {
    const std::string data(16, '\0');
    expect_rejected(file_bytes(std::string("{") + entry("a", "F32", "[2]", "[0,8]") + "," +
                                   entry("b", "F32", "[2]", "[4,12]") + "}",
                               data),
                    {"tensor 'b'", "overlap"});
    expect_rejected(file_bytes(std::string("{") + entry("a", "F32", "[2]", "[8,16]") + "}", data),
                    {"tensor 'a'", "leave the bytes [0, 8) unused"});
    expect_rejected(file_bytes(std::string("{") + entry("a", "F32", "[2]", "[0,8]") + "}", data),
                    {"cover 8 bytes", "16"});
    expect_rejected(file_bytes(std::string("{") + entry("a", "F32", "[2]", "[12,20]") + "}", data),
                    {"tensor 'a'", "outside the data section"});
    expect_rejected(file_bytes(std::string("{") + entry("a", "F32", "[2]", "[8,0]") + "}", data),
                    {"tensor 'a'", "outside"});
    expect_rejected(file_bytes(std::string("{") + entry("a", "F32", "[3]", "[0,16]") + "}", data),
                    {"tensor 'a'", "needs 12"});
    expect_rejected(file_bytes(std::string("{") + entry("a", "F32", "[4]", "[0,-16]") + "}", data),
                    {"tensor 'a'", "must not be negative"});
    expect_rejected(file_bytes(std::string("{") + entry("a", "F32", "[4]", "[0]") + "}", data),
                    {"tensor 'a'", "[begin, end]"});
}

TEST_F(SafetensorsReject, DTypesAndShapes) {
    const std::string data(16, '\0');
    expect_rejected(
        file_bytes(std::string("{") + entry("q", "U8", "[16]", "[0,16]") + "}", data),
        {"tensor 'q'", "unsupported dtype 'U8'", "F32, F64, I32, I64, BOOL, BF16, F16"});
    expect_rejected(file_bytes(std::string("{") + entry("n", "F32", "[-4]", "[0,16]") + "}", data),
                    {"tensor 'n'", "must not be negative"});
    expect_rejected(file_bytes(std::string("{") + entry("f", "F32", "[4.5]", "[0,16]") + "}", data),
                    {"tensor 'f'", "integers"});
    expect_rejected(
        file_bytes(std::string("{") +
                       entry("o", "F32", "[4294967296,4294967296,4294967296]", "[0,16]") + "}",
                   data),
        {"tensor 'o'", "too many elements"});
    expect_rejected(
        file_bytes(std::string("{") + entry("d", "F32", "[1,1,1,1,1,1,1,1,1]", "[0,16]") + "}",
                   data),
        {"tensor 'd'", "dims"});
    expect_rejected(file_bytes("{\"m\":{\"dtype\":\"F32\",\"shape\":[4]}}", data),
                    {"tensor 'm'", "data_offsets"});
    expect_rejected(file_bytes("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16],"
                               "\"extra\":1}}",
                               data),
                    {"tensor 'x'", "unknown field 'extra'"});
}

TEST_F(SafetensorsReject, BoolBytesAndMissingFile) {
    expect_rejected(file_bytes(std::string("{") + entry("mask", "BOOL", "[8]", "[0,8]") + "}",
                               std::string("\1\0\2\0\0\0\0\0", 8)),
                    {"tensor 'mask'", "byte value 2"});
    try {
        load_safetensors(path_ + ".missing");
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(path_ + ".missing"), std::string::npos);
    }
}

}  // namespace
}  // namespace lm::train
