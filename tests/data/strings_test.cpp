#include "data/strings.h"

#include <gtest/gtest.h>

#include "data/error.h"

namespace lm::data {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
    EXPECT_FALSE(find_invalid_utf8(""));
    EXPECT_FALSE(find_invalid_utf8("plain ascii"));
    EXPECT_FALSE(find_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
}

TEST(Utf8, FindsTheFirstMalformedByte) {
    EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);
    EXPECT_EQ(find_invalid_utf8("a\xC3"), 1u);             // truncated sequence
    EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);          // overlong
    EXPECT_EQ(find_invalid_utf8("x\xED\xA0\x80"), 1u);     // surrogate
    EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
    EXPECT_EQ(find_invalid_utf8("ok\xE2\x82"), 2u);
}

TEST(Utf8, ReplacesEachMalformedByte) {
    EXPECT_EQ(replace_invalid_utf8("a\xFF"
                                   "b"),
              "a\xEF\xBF\xBD"
              "b");
    EXPECT_EQ(replace_invalid_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
}

TEST(Base64, MatchesRfc4648Vectors) {
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
    EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
}

TEST(Base64, RoundTripsAllByteValues) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes += static_cast<char>(i);
    }
    for (size_t cut = 0; cut < 4; ++cut) {
        const std::string part = bytes.substr(cut);
        EXPECT_EQ(base64_decode(base64_encode(part)), part);
    }
}

TEST(Base64, RejectsBadInput) {
    EXPECT_THROW(base64_decode("abc"), DataError);
    EXPECT_THROW(base64_decode("ab!d"), DataError);
    EXPECT_THROW(base64_decode("a=bc"), DataError);
    EXPECT_THROW(base64_decode("Zg==Zg=="), DataError);
}

TEST(Strings, TrimSplitExcerpt) {
    EXPECT_EQ(trim("  a b\t\r\n"), "a b");
    EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
    EXPECT_EQ(excerpt("a\tb\x01", 10), "a\\tb\\x01");
    EXPECT_EQ(excerpt("abcdef", 3), "abc...");
}

}  // namespace
}  // namespace lm::data
