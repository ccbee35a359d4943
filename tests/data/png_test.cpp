#include "data/png.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

GrayImage gradient(int64_t w, int64_t h) {
    GrayImage image{w, h, {}};
    for (int64_t i = 0; i < w * h; ++i) {
        image.pixels.push_back(static_cast<uint8_t>(i * 7));
    }
    return image;
}

TEST(Png, EncodesAValidGrayscaleFile) {
    const std::string bytes = encode_png(gradient(5, 3));
    EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(bytes.substr(12, 4), "IHDR");
    EXPECT_EQ(bytes.substr(16, 8), std::string("\0\0\0\x05\0\0\0\x03", 8));
    EXPECT_EQ(bytes.substr(bytes.size() - 8, 4), "IEND");
}

TEST(Png, RoundTripsThroughTheDecoder) {
    const GrayImage image = gradient(32, 32);
    const GrayImage decoded = decode_png(encode_png(image));
    EXPECT_EQ(decoded.width, 32);
    EXPECT_EQ(decoded.height, 32);
    EXPECT_EQ(decoded.pixels, image.pixels);
}

TEST(Png, UpscalesByRepeatingPixels) {
    const GrayImage big = upscale(gradient(2, 2), 3);
    EXPECT_EQ(big.width, 6);
    EXPECT_EQ(big.pixels[0], big.pixels[2]);
    EXPECT_EQ(big.pixels[3], 7);
    EXPECT_EQ(big.pixels[6 * 3], 14);
    testing::TempDir dir;
    write_png(dir.file("x.png"), gradient(2, 2), 3);
    EXPECT_EQ(decode_png(testing::read_file(dir.file("x.png"))).pixels, big.pixels);
}

TEST(Png, CorruptFilesAreErrors) {
    std::string bytes = encode_png(gradient(4, 4));
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(decode_png("GIF89a", "x.png")),
              "x.png: byte offset 0: expected the PNG signature");
    std::string flipped = bytes;
    flipped[20] ^= 1;  // inside IHDR
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(decode_png(flipped, "x.png")),
              "x.png: byte offset 8: CRC mismatch in chunk IHDR");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(decode_png(bytes.substr(0, 50), "x.png")),
              "x.png: byte offset 33: chunk length " + std::to_string(bytes.size() - 12 - 33 - 12) +
                  " runs past the end of the file");
    EXPECT_THROW(encode_png(GrayImage{2, 2, {1, 2, 3}}), DataError);
}

}  // namespace
}  // namespace lm::data
