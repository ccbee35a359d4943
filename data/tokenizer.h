// Tokenizers: text or pixels to token ids, and back, serialisable to JSON so that evaluation
// needs no config.
//
// Id conventions (shared by every tokenizer): 0 = PAD, 1 = CLS, real tokens from 2.
//   byte:          byte b -> b + 2                 (vocab 258)
//   pixel:         value v -> v + 2                (vocab 258; black is 2, not padding)
//   listops:       digits 0-9 -> 2..11, MIN MAX MED SM -> 12..15, "]" -> 16   (vocab 17)
//   sentencepiece: piece id p -> p + 2             (vocab = pieces + 2)
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lm::data {

constexpr int32_t kPadId = 0;
constexpr int32_t kClsId = 1;
constexpr int32_t kFirstTokenId = 2;

class Tokenizer {
  public:
    virtual ~Tokenizer();
    // "byte", "pixel", "listops" or "sentencepiece".
    virtual std::string type() const = 0;
    virtual int64_t vocab_size() const = 0;
    virtual std::vector<int32_t> encode(std::string_view text) const = 0;
    // Inverse of encode; PAD and CLS are skipped. Throws DataError on ids outside the vocab.
    virtual std::string decode(std::span<const int32_t> ids) const = 0;
    virtual nlohmann::json to_json() const = 0;
};

// Throws DataError naming the missing or bad field.
std::unique_ptr<Tokenizer> tokenizer_from_json(const nlohmann::json& json);

class ByteTokenizer : public Tokenizer {
  public:
    std::string type() const override { return "byte"; }
    int64_t vocab_size() const override { return 256 + kFirstTokenId; }
    std::vector<int32_t> encode(std::string_view text) const override;
    std::string decode(std::span<const int32_t> ids) const override;
    nlohmann::json to_json() const override;
};

// Pixels of 8-bit grayscale images; encode takes the raw pixel bytes (row-major).
class PixelTokenizer : public Tokenizer {
  public:
    PixelTokenizer(int64_t width, int64_t height);
    std::string type() const override { return "pixel"; }
    int64_t vocab_size() const override { return 256 + kFirstTokenId; }
    int64_t width() const { return width_; }
    int64_t height() const { return height_; }
    std::vector<int32_t> encode(std::string_view pixels) const override;
    std::vector<int32_t> encode_pixels(std::span<const uint8_t> pixels) const;
    std::string decode(std::span<const int32_t> ids) const override;  // raw pixel bytes
    nlohmann::json to_json() const override;

  private:
    int64_t width_, height_;
};

// The ListOps vocabulary. encode accepts "[MAX 2 9 ]" and the LRA TSV form with parentheses
// and "X" for "]"; decode prints "[MAX 2 9 ]".
class ListOpsTokenizer : public Tokenizer {
  public:
    static constexpr int32_t kFirstDigit = 2;
    static constexpr int32_t kMin = 12, kMax = 13, kMed = 14, kSumMod = 15, kClose = 16;
    std::string type() const override { return "listops"; }
    int64_t vocab_size() const override { return 17; }
    std::vector<int32_t> encode(std::string_view text) const override;
    std::string decode(std::span<const int32_t> ids) const override;
    nlohmann::json to_json() const override;
};

}  // namespace lm::data
