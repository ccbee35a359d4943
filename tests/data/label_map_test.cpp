#include "data/label_map.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(LabelMap, CanonicalOrderFromObservedLabels) {
    EXPECT_EQ(LabelMap::from_observed({"pos", "neg", "pos", "mixed"}).labels(),
              (std::vector<std::string>{"mixed", "neg", "pos"}));
    EXPECT_EQ(LabelMap::from_observed({"10", "2", "1", "2"}).labels(),
              (std::vector<std::string>{"1", "2", "10"}));
    EXPECT_EQ(LabelMap::from_observed({"b", "a"}).labels(),
              LabelMap::from_observed({"a", "b", "a"}).labels());
}

TEST(LabelMap, FindsIdsAndRoundTripsJson) {
    const LabelMap map({"neg", "pos"});
    EXPECT_EQ(map.find("pos"), 1);
    EXPECT_FALSE(map.find("other"));
    const auto restored = LabelMap::from_json(nlohmann::json::parse(map.to_json().dump()));
    EXPECT_EQ(restored.labels(), map.labels());
    EXPECT_EQ(map.to_json().dump(), R"({"labels":["neg","pos"]})");
}

TEST(LabelMap, RejectsBadInput) {
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(LabelMap({"a", "a"})), "label map: duplicate label 'a'");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(LabelMap::from_json({{"labels", 3}})),
              "label map JSON: expected {\"labels\": [...]}");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(LabelMap::from_json({{"labels", {1, 2}}})),
              "label map JSON: expected string labels");
}

}  // namespace
}  // namespace lm::data
