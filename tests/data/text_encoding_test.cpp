#include "data/text_encoding.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(Truncation, KeepsHeadTailOrBoth) {
    const std::vector<int32_t> ids = {1, 2, 3, 4, 5, 6, 7};
    EXPECT_EQ(truncate_tokens(ids, 10, Truncation::Head), ids);
    EXPECT_EQ(truncate_tokens(ids, 3, Truncation::Head), (std::vector<int32_t>{1, 2, 3}));
    EXPECT_EQ(truncate_tokens(ids, 3, Truncation::Tail), (std::vector<int32_t>{5, 6, 7}));
    EXPECT_EQ(truncate_tokens(ids, 5, Truncation::HeadAndTail),
              (std::vector<int32_t>{1, 2, 3, 6, 7}));
    EXPECT_EQ(truncate_tokens(ids, 4, Truncation::HeadAndTail), (std::vector<int32_t>{1, 2, 6, 7}));
    EXPECT_EQ(parse_truncation("head+tail"), Truncation::HeadAndTail);
    EXPECT_THROW(parse_truncation("middle"), DataError);
}

TEST(EncodeText, TruncatesBytes) {
    ByteTokenizer bytes;
    EXPECT_EQ(bytes.decode(encode_text(bytes, "abcdefgh", 4, Truncation::Head)), "abcd");
    EXPECT_EQ(bytes.decode(encode_text(bytes, "abcdefgh", 4, Truncation::Tail)), "efgh");
    EXPECT_EQ(bytes.decode(encode_text(bytes, "abcdefgh", 4, Truncation::HeadAndTail)), "abgh");
}

TEST(TextTokenizer, ChosenByTheOptions) {
    TaskOptions o;
    o.name = "spam";
    EXPECT_EQ(make_text_tokenizer(o)->type(), "byte");
    o.tokenizer = "sentencepiece";
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_text_tokenizer(o)),
              "tokenizer=sentencepiece needs tokenizer_model=PATH (a .model or .json file); "
              "train one with `landmark tokenizer train spam --type unigram --vocab-size 8000 "
              "--out PREFIX`");
    o.tokenizer = "byte";
    o.tokenizer_model = "m.model";
    EXPECT_THROW(make_text_tokenizer(o), DataError);
}

}  // namespace
}  // namespace lm::data
