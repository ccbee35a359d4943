#include "data/stats.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TEST(LengthSummary, NearestRankPercentiles) {
    std::vector<int64_t> lengths;
    for (int i = 1; i <= 100; ++i) {
        lengths.push_back(101 - i);
    }
    const auto s = summarize_lengths(lengths);
    EXPECT_EQ(s.min, 1);
    EXPECT_EQ(s.p10, 10);
    EXPECT_EQ(s.p50, 50);
    EXPECT_EQ(s.p90, 90);
    EXPECT_EQ(s.max, 100);
    EXPECT_DOUBLE_EQ(s.mean, 50.5);
    const auto single = summarize_lengths({7});
    EXPECT_EQ(single.p10, 7);
    EXPECT_EQ(summarize_lengths({}).max, 0);
}

TEST(SplitStats, CountsLabelsAndPairedLengths) {
    const std::vector<Example> examples = {{{1, 2}, {3}, 0}, {{1}, {3, 4, 5}, 1}, {{1}, {4}, 1}};
    const auto s = compute_split_stats(examples, 3);
    EXPECT_EQ(s.examples, 3);
    EXPECT_EQ(s.label_counts, (std::vector<int64_t>{1, 2, 0}));
    EXPECT_EQ(s.lengths.max, 2);
    ASSERT_TRUE(s.lengths2);
    EXPECT_EQ(s.lengths2->max, 3);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(compute_split_stats(examples, 1)),
              "example 1 has label 1 outside [0, 1)");
}

TEST(SplitStats, FormatsAReport) {
    const std::vector<Example> examples = {{{1, 2}, {}, 0}, {{1}, {}, 1}};
    TaskInfo info{"demo", 10, 2, 2, false, {"no", "yes"}};
    const auto report =
        format_task_stats(info, "byte",
                          {compute_split_stats(examples, 2), compute_split_stats({}, 2),
                           compute_split_stats(examples, 2)});
    EXPECT_NE(report.find("task demo: vocab 10 (tokenizer byte), 2 classes, max length 2\n"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("  train: 2 examples\n    labels    no 1 (50.0%), yes 1 (50.0%)\n"
                          "    length    min 1  p10 1  p50 1  p90 2  max 2  mean 1.5\n"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("  validation: 0 examples\n"), std::string::npos);
}

}  // namespace
}  // namespace lm::data
