#include "data/batch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

std::vector<Example> examples_with_lengths(const std::vector<int>& lengths) {
    std::vector<Example> examples;
    for (size_t i = 0; i < lengths.size(); ++i) {
        Example e;
        for (int t = 0; t < lengths[i]; ++t) {
            e.tokens.push_back(10 + t);
        }
        e.label = static_cast<int32_t>(i % 3);
        examples.push_back(e);
    }
    return examples;
}

std::vector<int64_t> lengths_of(const std::vector<Example>& examples) {
    std::vector<int64_t> lengths;
    for (const auto& e : examples) {
        lengths.push_back(static_cast<int64_t>(e.tokens.size()));
    }
    return lengths;
}

TEST(MakeBatch, FixedPaddingWithMasksAndCls) {
    const auto examples = examples_with_lengths({2, 4, 1});
    BatchOptions options;
    options.prepend_cls = true;
    options.pad_multiple = 4;
    const BatchShape shape = batch_shape(examples, options);
    EXPECT_EQ(shape.fixed_length, 8);  // longest 4 + CLS, rounded up to 4
    const HostBatch b = make_batch(examples, {0, 2}, options, shape);
    EXPECT_EQ(b.batch, 2);
    EXPECT_EQ(b.length, 8);
    EXPECT_EQ(b.ids, (std::vector<int32_t>{1, 10, 11, 0, 0, 0, 0, 0, 1, 10, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(b.mask, (std::vector<float>{1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0}));
    EXPECT_EQ(b.labels, (std::vector<int32_t>{0, 2}));
    EXPECT_EQ(b.indices, (std::vector<int64_t>{0, 2}));
    EXPECT_EQ(b.real_tokens, 5);
    EXPECT_TRUE(b.ids2.empty());
}

TEST(MakeBatch, LongestPaddingAndMaxLength) {
    const auto examples = examples_with_lengths({2, 5, 3});
    BatchOptions options;
    options.padding = "longest";
    options.pad_multiple = 2;
    const HostBatch b = make_batch(examples, {0, 2}, options, batch_shape(examples, options));
    EXPECT_EQ(b.length, 4);  // longest 3 rounded up to 2
    options.padding = "fixed";
    options.max_length = 6;
    EXPECT_EQ(batch_shape(examples, options).fixed_length, 6);
    options.max_length = 4;
    EXPECT_EQ(
        LM_DATA_ERROR_MESSAGE(make_batch(examples, {1}, options, batch_shape(examples, options))),
        "batch: example 1 has 5 tokens, more than max_length 4; truncate it in the task "
        "(option max_length)");
}

TEST(MakeBatch, PairedSequencesGetTheirOwnBuffers) {
    std::vector<Example> examples = {{{5, 6}, {7}, 1}, {{5}, {7, 8, 9}, 0}};
    BatchOptions options;
    const HostBatch b = make_batch(examples, {0, 1}, options, batch_shape(examples, options));
    EXPECT_EQ(b.length, 2);
    EXPECT_EQ(b.length2, 3);
    EXPECT_EQ(b.ids2, (std::vector<int32_t>{7, 0, 0, 7, 8, 9}));
    EXPECT_EQ(b.mask2, (std::vector<float>{1, 0, 0, 1, 1, 1}));
    EXPECT_EQ(b.real_tokens, 3 + 4);
}

TEST(PlanEpoch, ShuffleIsDeterministicPerEpoch) {
    const std::vector<int64_t> lengths(103, 1);
    BatchOptions options;
    options.batch_size = 10;
    options.seed = 4;
    const auto a = plan_epoch(lengths, options, 0);
    EXPECT_EQ(a, plan_epoch(lengths, options, 0));
    EXPECT_NE(a, plan_epoch(lengths, options, 1));
    ASSERT_EQ(a.size(), 11u);
    EXPECT_EQ(a.back().size(), 3u);
    std::set<int64_t> seen;
    for (const auto& batch : a) {
        seen.insert(batch.begin(), batch.end());
    }
    EXPECT_EQ(seen.size(), 103u);
    options.seed = 5;
    EXPECT_NE(a, plan_epoch(lengths, options, 0));
}

TEST(PlanEpoch, NoShuffleKeepsOrderAndDropLastDropsThePartialBatch) {
    const std::vector<int64_t> lengths(7, 1);
    BatchOptions options;
    options.batch_size = 3;
    options.shuffle = false;
    options.drop_last = true;
    const auto plan = plan_epoch(lengths, options, 5);
    ASSERT_EQ(plan.size(), 2u);
    EXPECT_EQ(plan[1], (std::vector<int64_t>{3, 4, 5}));
    EXPECT_EQ(batches_per_epoch(7, options), 2);
    options.drop_last = false;
    EXPECT_EQ(batches_per_epoch(7, options), 3);
}

TEST(PlanEpoch, BucketingGroupsSimilarLengths) {
    std::vector<int> raw;
    for (int i = 0; i < 400; ++i) {
        raw.push_back(1 + (i * 37) % 200);
    }
    const auto examples = examples_with_lengths(raw);
    BatchOptions options;
    options.batch_size = 8;
    options.bucket_window = 50;  // the whole dataset is one window
    const auto padded_tokens = [&](bool bucket) {
        options.bucket_by_length = bucket;
        int64_t padded = 0;
        for (const auto& batch : plan_epoch(lengths_of(examples), options, 0)) {
            int64_t longest = 0;
            for (int64_t i : batch) {
                longest = std::max<int64_t>(longest, raw[i]);
            }
            padded += longest * static_cast<int64_t>(batch.size());
        }
        return padded;
    };
    const int64_t plain = padded_tokens(false), bucketed = padded_tokens(true);
    EXPECT_LT(bucketed, plain * 6 / 10);
    options.bucket_by_length = true;
    const auto plan = plan_epoch(lengths_of(examples), options, 0);
    EXPECT_EQ(plan.size(), 50u);
    for (const auto& batch : plan) {
        EXPECT_TRUE(std::is_sorted(batch.begin(), batch.end(),
                                   [&](int64_t a, int64_t b) { return raw[a] < raw[b]; }));
    }
    // The batch order is still shuffled: batch lengths do not simply increase.
    EXPECT_FALSE(std::is_sorted(plan.begin(), plan.end(), [&](const auto& a, const auto& b) {
        return raw[a.front()] < raw[b.front()];
    }));
}

TEST(BatchOptions, InvalidValuesAreErrors) {
    BatchOptions options;
    options.batch_size = 0;
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(validate_batch_options(options)),
              "batch: expected batch_size >= 1, got 0");
    options.batch_size = 1;
    options.padding = "none";
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(validate_batch_options(options)),
              "batch: expected padding fixed or longest, got 'none'");
}

}  // namespace
}  // namespace lm::data
