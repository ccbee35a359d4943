#include "data/png.h"

#include <zlib.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include "data/error.h"

namespace lm::data {

namespace {

constexpr char kSignature[8] = {'\x89', 'P', 'N', 'G', '\r', '\n', '\x1a', '\n'};

void put_u32(std::string& out, uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out += static_cast<char>((value >> shift) & 0xFF);
    }
}

uint32_t get_u32(const std::string& bytes, size_t offset) {
    uint32_t value = 0;
    for (size_t i = 0; i < 4; ++i) {
        value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
    }
    return value;
}

void put_chunk(std::string& out, const char type[4], const std::string& data) {
    put_u32(out, static_cast<uint32_t>(data.size()));
    const std::string body = std::string(type, 4) + data;
    out += body;
    put_u32(out, static_cast<uint32_t>(
                     crc32(0L, reinterpret_cast<const Bytef*>(body.data()), body.size())));
}

std::string deflate_bytes(const std::string& raw) {
    uLongf size = compressBound(raw.size());
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                  reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 9) != Z_OK) {
        throw DataError("PNG: deflate failed");
    }
    out.resize(size);
    return out;
}

uint8_t paeth(int a, int b, int c) {
    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    if (pa <= pb && pa <= pc) return static_cast<uint8_t>(a);
    return static_cast<uint8_t>(pb <= pc ? b : c);
}

// Undoes the row filters in place (one byte per pixel); `rows` holds filter byte + pixels.
void unfilter(const std::string& rows, GrayImage& image, const std::string& name) {
    const int64_t w = image.width;
    for (int64_t y = 0; y < image.height; ++y) {
        const auto filter = static_cast<unsigned char>(rows[y * (w + 1)]);
        if (filter > 4) {
            throw DataError(name + ": row " + std::to_string(y) + ": unknown filter type " +
                            std::to_string(filter));
        }
        for (int64_t x = 0; x < w; ++x) {
            const int raw = static_cast<unsigned char>(rows[y * (w + 1) + 1 + x]);
            const int a = x > 0 ? image.pixels[y * w + x - 1] : 0;
            const int b = y > 0 ? image.pixels[(y - 1) * w + x] : 0;
            const int c = x > 0 && y > 0 ? image.pixels[(y - 1) * w + x - 1] : 0;
            const int predictor = filter == 0   ? 0
                                  : filter == 1 ? a
                                  : filter == 2 ? b
                                  : filter == 3 ? (a + b) / 2
                                                : paeth(a, b, c);
            image.pixels[y * w + x] = static_cast<uint8_t>((raw + predictor) & 0xFF);
        }
    }
}

// Inflates the IDAT data to exactly one filter byte plus one row of pixels per row.
std::string inflate_rows(const std::string& compressed,
                         const GrayImage& image,
                         const std::string& name) {
    std::string rows(image.height * (image.width + 1), '\0');
    uLongf size = rows.size();
    if (uncompress(reinterpret_cast<Bytef*>(rows.data()), &size,
                   reinterpret_cast<const Bytef*>(compressed.data()), compressed.size()) != Z_OK ||
        size != rows.size()) {
        throw DataError(name + ": image data does not inflate to " + std::to_string(rows.size()) +
                        " bytes");
    }
    return rows;
}

}  // namespace

std::string encode_png(const GrayImage& image) {
    if (image.width <= 0 || image.height <= 0 ||
        static_cast<int64_t>(image.pixels.size()) != image.width * image.height) {
        throw DataError("PNG: expected width x height pixels");
    }
    std::string header;
    put_u32(header, static_cast<uint32_t>(image.width));
    put_u32(header, static_cast<uint32_t>(image.height));
    header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit gray, deflate, no interlace
    std::string rows;
    for (int64_t y = 0; y < image.height; ++y) {
        rows += '\0';  // filter: none
        rows.append(reinterpret_cast<const char*>(image.pixels.data() + y * image.width),
                    image.width);
    }
    std::string out(kSignature, sizeof kSignature);
    put_chunk(out, "IHDR", header);
    put_chunk(out, "IDAT", deflate_bytes(rows));
    put_chunk(out, "IEND", "");
    return out;
}

GrayImage decode_png(const std::string& bytes, const std::string& name) {
    if (bytes.size() < 8 || std::memcmp(bytes.data(), kSignature, 8) != 0) {
        throw error_at_offset(name, 0, "expected the PNG signature");
    }
    GrayImage image;
    std::string compressed;
    bool ended = false;
    for (size_t offset = 8; !ended;) {
        if (bytes.size() - offset < 12) throw error_at_offset(name, offset, "truncated chunk");
        const uint32_t length = get_u32(bytes, offset);
        if (length > bytes.size() - offset - 12) {
            throw error_at_offset(
                name, offset,
                "chunk length " + std::to_string(length) + " runs past the end of the file");
        }
        const std::string type = bytes.substr(offset + 4, 4);
        const std::string data = bytes.substr(offset + 8, length);
        const uint32_t crc = static_cast<uint32_t>(
            crc32(0L, reinterpret_cast<const Bytef*>(bytes.data() + offset + 4), length + 4));
        if (crc != get_u32(bytes, offset + 8 + length)) {
            throw error_at_offset(name, offset, "CRC mismatch in chunk " + type);
        }
        if (offset == 8 && type != "IHDR") throw error_at_offset(name, offset, "expected IHDR");
        if (type == "IHDR") {
            if (length != 13 || data.substr(8) != std::string("\x08\x00\x00\x00\x00", 5)) {
                throw error_at_offset(name, offset,
                                      "expected an 8-bit grayscale, "
                                      "non-interlaced image");
            }
            image.width = get_u32(data, 0);
            image.height = get_u32(data, 4);
            if (image.width == 0 || image.height == 0 || image.width * image.height > (1 << 26)) {
                throw error_at_offset(name, offset, "unsupported image size");
            }
        } else if (type == "IDAT") {
            compressed += data;
        } else if (type == "IEND") {
            ended = true;
        }
        offset += 12 + length;
    }
    image.pixels.resize(image.width * image.height);
    unfilter(inflate_rows(compressed, image, name), image, name);
    return image;
}

GrayImage upscale(const GrayImage& image, int scale) {
    if (scale <= 1) return image;
    GrayImage out{image.width * scale, image.height * scale, {}};
    out.pixels.resize(out.width * out.height);
    for (int64_t y = 0; y < out.height; ++y) {
        for (int64_t x = 0; x < out.width; ++x) {
            out.pixels[y * out.width + x] = image.pixels[(y / scale) * image.width + x / scale];
        }
    }
    return out;
}

void write_png(const std::string& path, const GrayImage& image, int scale) {
    const std::string bytes = encode_png(upscale(image, scale));
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) throw DataError(path + ": cannot write the PNG file");
}

}  // namespace lm::data
