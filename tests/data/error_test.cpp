#include "data/error.h"

#include <gtest/gtest.h>

#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(DataError, FormatsLineAndOffsetLocations) {
    EXPECT_STREQ(error_at_line("a.tsv", 3, "expected x").what(), "a.tsv:3: expected x");
    EXPECT_STREQ(error_at_offset("b.gz", 16, "truncated").what(),
                 "b.gz: byte offset 16: truncated");
}

TEST(Warnings, GoToTheInstalledSink) {
    testing::WarningCapture capture;
    warn("first");
    warn("second");
    ASSERT_EQ(capture.messages.size(), 2u);
    EXPECT_EQ(capture.messages[0], "first");
    EXPECT_EQ(capture.messages[1], "second");
}

}  // namespace
}  // namespace lm::data
