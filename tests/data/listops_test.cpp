#include "data/listops.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "data/tokenizer.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

int32_t eval(const std::string& expression) {
    return evaluate_listops(ListOpsTokenizer().encode(expression));
}

TEST(ListOpsEvaluator, HandWrittenCases) {
    EXPECT_EQ(eval("7"), 7);
    EXPECT_EQ(eval("[MAX 2 9 [MIN 4 7 ] 0 ]"), 9);
    EXPECT_EQ(eval("[MIN 5 3 8 ]"), 3);
    EXPECT_EQ(eval("[SM 9 8 7 ]"), 4);  // 24 mod 10
    EXPECT_EQ(eval("[SM 5 5 ]"), 0);
    EXPECT_EQ(eval("[MED 1 9 4 ]"), 4);    // odd count: the middle value
    EXPECT_EQ(eval("[MED 1 4 ]"), 2);      // even: floor(2.5)
    EXPECT_EQ(eval("[MED 4 3 ]"), 3);      // even, unsorted: floor(3.5)
    EXPECT_EQ(eval("[MED 9 1 8 2 ]"), 5);  // middle 2 and 8 -> 5
    EXPECT_EQ(eval("[MED 0 0 1 1 ]"), 0);
    EXPECT_EQ(eval("[SM [MAX 1 2 ] [MED 3 4 5 6 ] [MIN 9 8 ] ]"), 4);  // 2 + 4 + 8
}

TEST(ListOpsEvaluator, RejectsMalformedSequences) {
    ListOpsTokenizer t;
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(evaluate_listops(t.encode("[MAX 1 2"))),
              "ListOps expression: token 3: expected ']' to close an operator");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(evaluate_listops(t.encode("1 ]"))),
              "ListOps expression: token 1: expected the end of the expression");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(evaluate_listops(t.encode("[MIN ]"))),
              "ListOps expression: token 1: operator without arguments");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(evaluate_listops(t.encode("] 1"))),
              "ListOps expression: token 0: ']' without an open operator");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(evaluate_listops(std::vector<int32_t>{})),
              "ListOps expression: token 0: expected an expression, got no tokens");
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(evaluate_listops(std::vector<int32_t>{13, 1, 16})),
              "ListOps expression: token 1: expected a digit, an operator or ']', got id 1");
}

TEST(ListOpsDepth, CountsOperatorNesting) {
    ListOpsTokenizer t;
    EXPECT_EQ(listops_depth(t.encode("4")), 0);
    EXPECT_EQ(listops_depth(t.encode("[MAX 1 2 ]")), 1);
    EXPECT_EQ(listops_depth(t.encode("[MAX [MIN [SM 1 2 ] 3 ] [MED 4 5 ] ]")), 3);
}

TEST(ListOpsSampler, RespectsLengthAndDepthLimits) {
    ListOpsConfig config;
    config.min_length = 20;
    config.max_length = 200;
    config.max_depth = 6;
    int accepted = 0;
    for (uint64_t i = 0; i < 3000; ++i) {
        Rng rng(stream_seed(0, "test", 0, i));
        const auto tree = sample_listops_tree(rng, config);
        if (!tree) continue;
        ++accepted;
        EXPECT_GT(static_cast<int64_t>(tree->size()), config.min_length);
        EXPECT_LT(static_cast<int64_t>(tree->size()), config.max_length);
        EXPECT_LE(listops_depth(*tree), config.max_depth - 1);
        EXPECT_NO_THROW(evaluate_listops(*tree));
    }
    EXPECT_GT(accepted, 50);
}

TEST(ListOpsSampler, ReachesTheDepthCapWithLraSettings) {
    // With LRA's parameters the trees that pass the length filter nest 9 operators deep.
    ListOpsConfig config;
    int checked = 0;
    for (uint64_t i = 0; checked < 20 && i < 5000; ++i) {
        Rng rng(stream_seed(1, "test", 0, i));
        if (const auto tree = sample_listops_tree(rng, config)) {
            EXPECT_EQ(listops_depth(*tree), 9);
            ++checked;
        }
    }
    EXPECT_EQ(checked, 20);
}

TEST(ListOpsSampler, SameStreamSameTree) {
    ListOpsConfig config;
    config.min_length = 5;
    config.max_length = 100;
    for (uint64_t i = 0; i < 200; ++i) {
        Rng a(stream_seed(4, "x", 0, i)), b(stream_seed(4, "x", 0, i));
        EXPECT_EQ(sample_listops_tree(a, config), sample_listops_tree(b, config));
    }
}

}  // namespace
}  // namespace lm::data
