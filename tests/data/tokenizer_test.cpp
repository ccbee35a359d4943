#include "data/tokenizer.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(ByteTokenizer, ShiftsBytesByTwo) {
    ByteTokenizer t;
    EXPECT_EQ(t.vocab_size(), 258);
    const std::string text("A\x00\xFF", 3);
    const auto ids = t.encode(text);
    EXPECT_EQ(ids, (std::vector<int32_t>{67, 2, 257}));
    EXPECT_EQ(t.decode(ids), text);
    const std::vector<int32_t> with_specials = {kClsId, 67, kPadId, kPadId};
    EXPECT_EQ(t.decode(with_specials), "A");
    const std::vector<int32_t> bad = {258};
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(t.decode(bad)),
              "byte tokenizer: token id 258 is outside the vocabulary [0, 258)");
}

TEST(PixelTokenizer, BlackIsNotPadding) {
    PixelTokenizer t(2, 2);
    const std::vector<uint8_t> pixels = {0, 1, 128, 255};
    const auto ids = t.encode_pixels(pixels);
    EXPECT_EQ(ids, (std::vector<int32_t>{2, 3, 130, 257}));
    EXPECT_NE(ids[0], kPadId);
    const std::string decoded = t.decode(ids);
    EXPECT_EQ(std::vector<uint8_t>(decoded.begin(), decoded.end()), pixels);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(t.encode_pixels(std::vector<uint8_t>(3))),
              "pixel tokenizer: expected 4 pixels, got 3");
}

TEST(ListOpsTokenizer, UsesTheDocumentedIds) {
    ListOpsTokenizer t;
    EXPECT_EQ(t.vocab_size(), 17);
    EXPECT_EQ(t.encode("[MAX 2 9 [MIN 4 7 ] 0 ]"),
              (std::vector<int32_t>{13, 4, 11, 12, 6, 9, 16, 2, 16}));
    EXPECT_EQ(t.encode("[MED 0 ] [SM 9 ]"), (std::vector<int32_t>{14, 2, 16, 15, 11, 16}));
    EXPECT_EQ(t.decode(t.encode("[MAX 2 9 [MIN 4 7 ] 0 ]")), "[MAX 2 9 [MIN 4 7 ] 0 ]");
}

TEST(ListOpsTokenizer, ReadsTheLraTsvForm) {
    ListOpsTokenizer t;
    EXPECT_EQ(t.encode("( ( ( [MAX 2 ) 9 ) X )"), t.encode("[MAX 2 9 ]"));
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(t.encode("[MAX 12 ]")),
              "listops tokenizer: expected a digit, [MIN, [MAX, [MED, [SM or ], got '12'");
}

TEST(TokenizerJson, RoundTripsEveryBuiltInType) {
    std::vector<std::unique_ptr<Tokenizer>> tokenizers;
    tokenizers.push_back(std::make_unique<ByteTokenizer>());
    tokenizers.push_back(std::make_unique<PixelTokenizer>(28, 28));
    tokenizers.push_back(std::make_unique<ListOpsTokenizer>());
    for (const auto& original : tokenizers) {
        const auto json = original->to_json();
        const auto restored = tokenizer_from_json(nlohmann::json::parse(json.dump()));
        EXPECT_EQ(restored->type(), original->type());
        EXPECT_EQ(restored->vocab_size(), original->vocab_size());
        EXPECT_EQ(restored->to_json(), json);
    }
    const auto pixel = tokenizer_from_json(PixelTokenizer(28, 28).to_json());
    EXPECT_EQ(dynamic_cast<PixelTokenizer&>(*pixel).width(), 28);
}

TEST(TokenizerJson, BadJsonNamesTheProblem) {
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(tokenizer_from_json(nlohmann::json::array())),
              "tokenizer JSON: expected an object");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(tokenizer_from_json({{"version", 1}})),
              "tokenizer JSON: missing field 'type'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(tokenizer_from_json({{"type", "word"}, {"version", 1}})),
              "tokenizer JSON: unknown type 'word'; expected byte, pixel, listops or "
              "sentencepiece");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(tokenizer_from_json({{"type", "byte"}, {"version", 7}})),
              "tokenizer JSON: expected version 1, got 7");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(tokenizer_from_json({{"type", "pixel"}, {"version", 1}})),
              "tokenizer JSON: missing field 'width'");
}

}  // namespace
}  // namespace lm::data
