#include "data/idx.h"

#include <zlib.h>

#include <cstdint>
#include <cstdio>

#include "data/error.h"

namespace lm::data {

namespace {

uint32_t big_endian_u32(const std::string& bytes, size_t offset) {
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
    }
    return value;
}

std::string hex32(uint32_t value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "0x%08X", value);
    return buffer;
}

// Reads the magic and `dims` big-endian sizes; returns the sizes.
std::vector<int64_t> read_header(const std::string& bytes,
                                 const std::string& name,
                                 uint32_t magic,
                                 size_t dims) {
    const size_t header = 4 + 4 * dims;
    if (bytes.size() < header) {
        throw error_at_offset(name, static_cast<int64_t>(bytes.size()),
                              "truncated header: expected " + std::to_string(header) +
                                  " bytes, the file has " + std::to_string(bytes.size()));
    }
    if (big_endian_u32(bytes, 0) != magic) {
        throw error_at_offset(
            name, 0,
            "expected IDX magic " + hex32(magic) + ", got " + hex32(big_endian_u32(bytes, 0)));
    }
    std::vector<int64_t> sizes;
    for (size_t d = 0; d < dims; ++d) {
        sizes.push_back(big_endian_u32(bytes, 4 + 4 * d));
    }
    return sizes;
}

void check_payload(const std::string& bytes,
                   const std::string& name,
                   size_t header,
                   int64_t expected,
                   const std::string& what) {
    const auto available = static_cast<int64_t>(bytes.size() - header);
    if (available < expected) {
        throw error_at_offset(name, static_cast<int64_t>(bytes.size()),
                              "truncated: expected " + std::to_string(expected) + " bytes of " +
                                  what + " after the header, got " + std::to_string(available));
    }
    if (available > expected) {
        throw error_at_offset(name, static_cast<int64_t>(header + expected),
                              "expected the end of the file after " + what + ", found " +
                                  std::to_string(available - expected) + " more bytes");
    }
}

}  // namespace

std::string read_maybe_gzip(const std::string& path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) throw DataError(path + ": cannot open the file");
    std::string bytes;
    char buffer[1 << 16];
    while (true) {
        const int got = gzread(file, buffer, sizeof buffer);
        if (got < 0 || (got == 0 && !gzeof(file))) {
            int code = 0;
            const std::string reason = gzerror(file, &code);
            gzclose(file);
            throw error_at_offset(path, static_cast<int64_t>(bytes.size()),
                                  "cannot decompress: " + reason);
        }
        if (got == 0) break;
        bytes.append(buffer, static_cast<size_t>(got));
    }
    // A truncated stream can end with a clean EOF and the error only recorded.
    int code = Z_OK;
    const std::string reason = gzerror(file, &code);
    gzclose(file);
    if (code != Z_OK && code != Z_STREAM_END) {
        throw error_at_offset(path, static_cast<int64_t>(bytes.size()),
                              "cannot decompress: " + reason);
    }
    return bytes;
}

IdxImages parse_idx_images(const std::string& bytes, const std::string& name) {
    const auto sizes = read_header(bytes, name, 0x00000803, 3);
    IdxImages images{sizes[0], sizes[1], sizes[2], {}};
    // Each size is below 2^32, so count * rows * cols can overflow int64: check in 128 bits.
    const unsigned __int128 pixels = static_cast<unsigned __int128>(images.count) *
                                     static_cast<uint64_t>(images.rows) *
                                     static_cast<uint64_t>(images.cols);
    if (pixels > static_cast<unsigned __int128>(INT64_MAX)) {
        throw error_at_offset(name, 4,
                              "expected image sizes whose product fits 64 bits, got " +
                                  std::to_string(images.count) + " images of " +
                                  std::to_string(images.rows) + "x" + std::to_string(images.cols) +
                                  " pixels");
    }
    const auto expected = static_cast<int64_t>(pixels);
    check_payload(bytes, name, 16, expected,
                  std::to_string(images.count) + " images of " + std::to_string(images.rows) + "x" +
                      std::to_string(images.cols) + " pixels");
    images.pixels.assign(bytes.begin() + 16, bytes.end());
    return images;
}

std::vector<uint8_t> parse_idx_labels(const std::string& bytes, const std::string& name) {
    const auto sizes = read_header(bytes, name, 0x00000801, 1);
    check_payload(bytes, name, 8, sizes[0], std::to_string(sizes[0]) + " labels");
    return std::vector<uint8_t>(bytes.begin() + 8, bytes.end());
}

}  // namespace lm::data
