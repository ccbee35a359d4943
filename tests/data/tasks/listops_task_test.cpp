#include <gtest/gtest.h>

#include <set>

#include "data/listops.h"
#include "data/task.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

TaskOptions small_listops(uint64_t seed, int threads = 0) {
    TaskOptions o;
    o.name = "listops";
    o.seed = seed;
    o.cache = false;
    o.threads = threads;
    o.min_length = 10;
    o.max_length = 200;
    o.train_size = 300;
    o.validation_size = 50;
    o.test_size = 50;
    return o;
}

TEST(ListOpsTask, ReportsItsShape) {
    auto task = make_task(small_listops(0));
    const TaskInfo info = task->info();
    EXPECT_EQ(info.vocab_size, 17);
    EXPECT_EQ(info.num_classes, 10);
    EXPECT_EQ(info.max_length, 200);
    EXPECT_FALSE(info.paired);
    EXPECT_EQ(task->tokenizer().type(), "listops");
}

TEST(ListOpsTask, LabelsAreTheEvaluatorAnswersAndLengthsAreInRange) {
    auto task = make_task(small_listops(1));
    const std::array<size_t, 3> sizes = {300, 50, 50};
    for (Split split : kAllSplits) {
        const auto& examples = task->examples(split);
        ASSERT_EQ(examples.size(), sizes[static_cast<size_t>(split)]);
        for (const auto& e : examples) {
            EXPECT_EQ(e.label, evaluate_listops(e.tokens));
            EXPECT_GT(e.tokens.size(), 10u);
            EXPECT_LT(e.tokens.size(), 200u);
            EXPECT_LE(listops_depth(e.tokens), 9);
        }
    }
}

TEST(ListOpsTask, NoDuplicatesWithinOrAcrossSplits) {
    auto task = make_task(small_listops(2));
    std::set<std::vector<int32_t>> seen;
    size_t total = 0;
    for (Split split : kAllSplits) {
        for (const auto& e : task->examples(split)) {
            seen.insert(e.tokens);
            ++total;
        }
    }
    EXPECT_EQ(seen.size(), total);
}

TEST(ListOpsTask, DeterministicFromTheSeedAndThreadCount) {
    auto a = make_task(small_listops(3, 1));
    auto b = make_task(small_listops(3, 2));
    auto c = make_task(small_listops(4));
    for (Split split : kAllSplits) {
        EXPECT_EQ(a->examples(split), b->examples(split));
    }
    EXPECT_NE(a->examples(Split::Train), c->examples(Split::Train));
}

TEST(ListOpsTask, EvaluationSplitsDoNotDependOnTrainSize) {
    auto options = small_listops(5);
    auto a = make_task(options);
    options.train_size = 20;
    auto b = make_task(options);
    EXPECT_EQ(a->examples(Split::Test), b->examples(Split::Test));
    EXPECT_EQ(a->examples(Split::Validation), b->examples(Split::Validation));
}

TEST(ListOpsTask, ImpossibleLimitsAreErrors) {
    auto options = small_listops(0);
    options.min_length = 100;
    options.max_length = 101;
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(make_task(options)),
              "listops: expected min_length + 1 < max_length (lengths lie strictly between "
              "them), got min_length 100 and max_length 101");
}

}  // namespace
}  // namespace lm::data
