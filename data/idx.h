// IDX files (the MNIST family), optionally gzip-compressed, read through zlib.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lm::data {

// Whole file, gunzipped if it is gzip (plain files pass through). Throws DataError naming the
// file and the decompressed byte offset where reading failed (e.g. a truncated gzip stream).
std::string read_maybe_gzip(const std::string& path);

struct IdxImages {
    int64_t count = 0, rows = 0, cols = 0;
    std::vector<uint8_t> pixels;  // count * rows * cols, row-major
};

// Parse the decompressed bytes of an image file (magic 0x00000803) or label file (0x00000801).
// Errors name the file (`name`) and the byte offset and say what was expected.
IdxImages parse_idx_images(const std::string& bytes, const std::string& name);
std::vector<uint8_t> parse_idx_labels(const std::string& bytes, const std::string& name);

}  // namespace lm::data
