#include "core/base/strings.h"

#include <gtest/gtest.h>

namespace lm {
namespace {

TEST(Suggestions, EditDistanceAndClosestMatch) {
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    const std::vector<std::string> names = {"listops", "pathfinder", "spam"};
    EXPECT_EQ(closest_match("listop", names), "listops");
    EXPECT_EQ(closest_match("pathfindr", names), "pathfinder");
    EXPECT_FALSE(closest_match("imagenet", names));
    EXPECT_FALSE(closest_match("x", {}));
}

TEST(Suggestions, SuggestionAndDidYouMean) {
    const std::vector<std::string> names = {"listops", "pathfinder", "spam"};
    EXPECT_EQ(suggestion("spma", names), " (did you mean 'spam'?)");
    EXPECT_EQ(suggestion("imagenet", names), "");
    EXPECT_EQ(did_you_mean("spma", names),
              " (did you mean 'spam'?); known: listops, pathfinder, spam");
    EXPECT_EQ(did_you_mean("imagenet", names), "; known: listops, pathfinder, spam");
}

TEST(Strings, Join) {
    EXPECT_EQ(join({}), "");
    EXPECT_EQ(join({"a"}), "a");
    EXPECT_EQ(join({"a", "b", "c"}), "a, b, c");
    EXPECT_EQ(join({"a", "b"}, "|"), "a|b");
}

}  // namespace
}  // namespace lm
