#include "data/tokenizer.h"

#include <cstdint>
#include <limits>
#include <type_traits>

#include "data/error.h"
#include "data/sentencepiece_tokenizer.h"
#include "data/strings.h"

namespace lm::data {

namespace {

constexpr int kTokenizerJsonVersion = 1;

void check_range(int32_t id, int64_t vocab_size, const std::string& type) {
    if (id < 0 || id >= vocab_size) {
        throw DataError(type + " tokenizer: token id " + std::to_string(id) +
                        " is outside the vocabulary [0, " + std::to_string(vocab_size) + ")");
    }
}

nlohmann::json header(const std::string& type) {
    return {{"type", type}, {"version", kTokenizerJsonVersion}};
}

template <typename T>
T field(const nlohmann::json& json, const char* name) {
    if (!json.contains(name)) {
        throw DataError("tokenizer JSON: missing field '" + std::string(name) + "'");
    }
    if constexpr (std::is_integral_v<T>) {  // a float or out-of-range number would not fit
        const auto& value = json.at(name);
        bool fits = value.is_number_integer();
        if (fits && value.is_number_unsigned()) {
            fits = value.template get<uint64_t>() <=
                   static_cast<uint64_t>(std::numeric_limits<T>::max());
        } else if (fits) {
            const auto v = value.template get<int64_t>();
            fits = v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
        }
        if (!fits) {
            throw DataError("tokenizer JSON: field '" + std::string(name) +
                            "' must be an integer in range, got a " + value.type_name());
        }
    }
    try {
        return json.at(name).get<T>();
    } catch (const nlohmann::json::exception& e) {
        throw DataError("tokenizer JSON: field '" + std::string(name) +
                        "' has the wrong type: " + e.what());
    }
}

}  // namespace

Tokenizer::~Tokenizer() = default;

std::unique_ptr<Tokenizer> tokenizer_from_json(const nlohmann::json& json) {
    if (!json.is_object()) throw DataError("tokenizer JSON: expected an object");
    const auto type = field<std::string>(json, "type");
    const auto version = field<int>(json, "version");
    if (version != kTokenizerJsonVersion) {
        throw DataError("tokenizer JSON: expected version " +
                        std::to_string(kTokenizerJsonVersion) + ", got " + std::to_string(version));
    }
    if (type == "byte") return std::make_unique<ByteTokenizer>();
    if (type == "listops") return std::make_unique<ListOpsTokenizer>();
    if (type == "pixel") {
        const auto width = field<int64_t>(json, "width");
        const auto height = field<int64_t>(json, "height");
        return std::make_unique<PixelTokenizer>(width, height);
    }
    if (type == "sentencepiece") {
        return std::make_unique<SentencePieceTokenizer>(
            base64_decode(field<std::string>(json, "model_base64")));
    }
    throw DataError("tokenizer JSON: unknown type '" + type +
                    "'; expected byte, pixel, listops or sentencepiece");
}

std::vector<int32_t> ByteTokenizer::encode(std::string_view text) const {
    std::vector<int32_t> ids(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        ids[i] = static_cast<unsigned char>(text[i]) + kFirstTokenId;
    }
    return ids;
}

std::string ByteTokenizer::decode(std::span<const int32_t> ids) const {
    std::string text;
    text.reserve(ids.size());
    for (int32_t id : ids) {
        check_range(id, vocab_size(), type());
        if (id >= kFirstTokenId) text += static_cast<char>(id - kFirstTokenId);
    }
    return text;
}

nlohmann::json ByteTokenizer::to_json() const {
    return header(type());
}

PixelTokenizer::PixelTokenizer(int64_t width, int64_t height) : width_(width), height_(height) {
    if (width <= 0 || height <= 0 || width > 65536 || height > 65536) {
        throw DataError("pixel tokenizer: expected image sides in [1, 65536], got " +
                        std::to_string(width) + "x" + std::to_string(height));
    }
}

std::vector<int32_t> PixelTokenizer::encode(std::string_view pixels) const {
    return encode_pixels({reinterpret_cast<const uint8_t*>(pixels.data()), pixels.size()});
}

std::vector<int32_t> PixelTokenizer::encode_pixels(std::span<const uint8_t> pixels) const {
    if (static_cast<int64_t>(pixels.size()) != width_ * height_) {
        throw DataError("pixel tokenizer: expected " + std::to_string(width_ * height_) +
                        " pixels, got " + std::to_string(pixels.size()));
    }
    std::vector<int32_t> ids(pixels.size());
    for (size_t i = 0; i < pixels.size(); ++i) {
        ids[i] = pixels[i] + kFirstTokenId;
    }
    return ids;
}

std::string PixelTokenizer::decode(std::span<const int32_t> ids) const {
    std::string pixels;
    pixels.reserve(ids.size());
    for (int32_t id : ids) {
        check_range(id, vocab_size(), type());
        if (id >= kFirstTokenId) pixels += static_cast<char>(id - kFirstTokenId);
    }
    return pixels;
}

nlohmann::json PixelTokenizer::to_json() const {
    auto json = header(type());
    json["width"] = width_;
    json["height"] = height_;
    return json;
}

}  // namespace lm::data
