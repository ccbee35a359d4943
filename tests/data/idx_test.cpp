#include "data/idx.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

std::string big_endian(uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

std::string images_file(uint32_t count, uint32_t rows, uint32_t cols) {
    std::string bytes = big_endian(0x803) + big_endian(count) + big_endian(rows) + big_endian(cols);
    for (uint32_t i = 0; i < count * rows * cols; ++i) {
        bytes += static_cast<char>(i % 251);
    }
    return bytes;
}

TEST(Idx, ParsesImagesAndLabels) {
    const auto images = parse_idx_images(images_file(3, 2, 2), "img");
    EXPECT_EQ(images.count, 3);
    EXPECT_EQ(images.rows, 2);
    EXPECT_EQ(images.pixels.size(), 12u);
    EXPECT_EQ(images.pixels[5], 5);
    const auto labels = parse_idx_labels(big_endian(0x801) + big_endian(2) + "\x07\x01", "lab");
    EXPECT_EQ(labels, (std::vector<uint8_t>{7, 1}));
}

TEST(Idx, TruncatedAndForeignFilesNameTheOffset) {
    const std::string full = images_file(3, 2, 2);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(parse_idx_images(full.substr(0, 20), "img.gz")),
              "img.gz: byte offset 20: truncated: expected 12 bytes of 3 images of 2x2 pixels "
              "after the header, got 4");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(parse_idx_images(full.substr(0, 10), "img.gz")),
              "img.gz: byte offset 10: truncated header: expected 16 bytes, the file has 10");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(parse_idx_images(full + "xy", "img.gz")),
              "img.gz: byte offset 28: expected the end of the file after 3 images of 2x2 pixels, "
              "found 2 more bytes");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(parse_idx_labels(full, "lab.gz")),
              "lab.gz: byte offset 0: expected IDX magic 0x00000801, got 0x00000803");
}

TEST(Idx, ReadsGzipAndPlainFiles) {
    testing::TempDir dir;
    const std::string bytes = images_file(2, 3, 3);
    testing::write_gzip(dir.file("a.gz"), bytes);
    testing::write_file(dir.file("b"), bytes);
    EXPECT_EQ(read_maybe_gzip(dir.file("a.gz")), bytes);
    EXPECT_EQ(read_maybe_gzip(dir.file("b")), bytes);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(read_maybe_gzip(dir.file("none.gz"))),
              dir.file("none.gz") + ": cannot open the file");
}

TEST(Idx, TruncatedGzipStreamIsAnError) {
    testing::TempDir dir;
    std::string big;
    for (int i = 0; i < 200000; ++i) {
        big += static_cast<char>((i * 7919) % 256);
    }
    testing::write_gzip(dir.file("a.gz"), big);
    const std::string compressed = testing::read_file(dir.file("a.gz"));
    testing::write_file(dir.file("cut.gz"), compressed.substr(0, compressed.size() / 2));
    const std::string message = LM_DATA_ERROR_MESSAGE(read_maybe_gzip(dir.file("cut.gz")));
    EXPECT_EQ(message.rfind(dir.file("cut.gz") + ": byte offset ", 0), 0u) << message;
    EXPECT_NE(message.find("cannot decompress"), std::string::npos) << message;
}

}  // namespace
}  // namespace lm::data
