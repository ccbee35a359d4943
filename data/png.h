// Minimal PNG support for 8-bit grayscale images: an encoder (zlib deflate + CRC-32 chunks)
// for `landmark data show`, and a decoder for the same kind of file (all five row filters).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace lm::data {

struct GrayImage {
    int64_t width = 0, height = 0;
    std::vector<uint8_t> pixels;  // row-major
};

std::string encode_png(const GrayImage& image);
// Throws DataError naming the byte offset for anything but a valid 8-bit grayscale PNG.
GrayImage decode_png(const std::string& bytes, const std::string& name = "PNG");
// Writes the image, each pixel repeated scale x scale times. Throws DataError on I/O failure.
void write_png(const std::string& path, const GrayImage& image, int scale = 1);
// Nearest-neighbour enlargement.
GrayImage upscale(const GrayImage& image, int scale);

}  // namespace lm::data
