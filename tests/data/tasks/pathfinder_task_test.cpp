#include <gtest/gtest.h>

#include "data/task.h"

namespace lm::data {
namespace {

TaskOptions small_pathfinder(int64_t contour_length, int threads = 0) {
    TaskOptions o;
    o.name = "pathfinder";
    o.cache = false;
    o.threads = threads;
    o.contour_length = contour_length;
    o.train_size = 301;
    o.validation_size = 20;
    o.test_size = 20;
    return o;
}

TEST(PathfinderTask, PixelSequencesWithBalancedLabels) {
    auto task = make_task(small_pathfinder(14));
    const TaskInfo info = task->info();
    EXPECT_EQ(info.vocab_size, 258);
    EXPECT_EQ(info.num_classes, 2);
    EXPECT_EQ(info.max_length, 1024);
    EXPECT_EQ(info.image_width, 32);
    const auto& train = task->examples(Split::Train);
    ASSERT_EQ(train.size(), 301u);
    int positive = 0;
    for (size_t i = 0; i < train.size(); ++i) {
        ASSERT_EQ(train[i].tokens.size(), 1024u);
        for (int32_t id : train[i].tokens) {
            ASSERT_TRUE(id >= 2 && id < 258);
        }
        positive += train[i].label;
        // Labels come in complementary pairs (2j, 2j+1).
        if (i % 2 == 1) {
            EXPECT_NE(train[i].label, train[i - 1].label);
        }
    }
    EXPECT_GE(positive, 0.45 * 301);
    EXPECT_LE(positive, 0.55 * 301);
    // The pair order is random: not every pair starts with the same label.
    int first_positive = 0;
    for (size_t i = 0; i + 1 < train.size(); i += 2) {
        first_positive += train[i].label;
    }
    EXPECT_GT(first_positive, 30);
    EXPECT_LT(first_positive, 120);
}

TEST(PathfinderTask, ThreadCountDoesNotChangeTheData) {
    auto a = make_task(small_pathfinder(6, 1));
    auto b = make_task(small_pathfinder(6, 2));
    for (Split split : kAllSplits) {
        EXPECT_EQ(a->examples(split), b->examples(split));
    }
    EXPECT_NE(a->examples(Split::Train)[0], a->examples(Split::Test)[0]);
}

}  // namespace
}  // namespace lm::data
