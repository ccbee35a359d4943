#include "data/batch_stream.h"

#include <gtest/gtest.h>

#include "data/error.h"
#include "tests/data/test_util.h"

namespace lm::data {
namespace {

std::vector<Example> dataset(int n) {
    std::vector<Example> examples;
    for (int i = 0; i < n; ++i) {
        Example e;
        e.tokens.assign(1 + (i * 7) % 13, 2 + i % 50);
        e.label = i % 5;
        examples.push_back(e);
    }
    return examples;
}

BatchOptions options(int prefetch, bool bucket = false) {
    BatchOptions o;
    o.batch_size = 4;
    o.seed = 11;
    o.prefetch = prefetch;
    o.bucket_by_length = bucket;
    o.bucket_window = 2;
    o.padding = "longest";
    return o;
}

bool same(const HostBatch& a, const HostBatch& b) {
    return a.ids == b.ids && a.mask == b.mask && a.labels == b.labels && a.indices == b.indices &&
           a.length == b.length;
}

TEST(BatchStream, RestoreGivesTheUninterruptedBatches) {
    const auto examples = dataset(23);  // 6 batches per epoch, the last partial
    for (int prefetch : {0, 3}) {
        for (bool bucket : {false, true}) {
            BatchStream reference(examples, options(prefetch, bucket), true);
            std::vector<HostBatch> expected;
            std::vector<StreamState> states;
            for (int i = 0; i < 20; ++i) {
                states.push_back(reference.state());
                expected.push_back(reference.next());
            }
            for (int start : {0, 1, 5, 6, 7, 13}) {
                BatchStream resumed(examples, options(prefetch, bucket), true);
                resumed.next();  // state before restore must not matter
                resumed.restore(states[start]);
                for (int i = start; i < 20; ++i) {
                    ASSERT_TRUE(same(resumed.next(), expected[i]))
                        << "prefetch " << prefetch << " bucket " << bucket << " from " << start
                        << " batch " << i;
                }
            }
        }
    }
}

TEST(BatchStream, EpochsAdvanceAndReshuffle) {
    const auto examples = dataset(8);
    BatchStream stream(examples, options(2), true);
    EXPECT_EQ(stream.batches_per_epoch(), 2);
    const auto first = stream.next().indices;
    stream.next();
    EXPECT_EQ(stream.state(), (StreamState{1, 0}));
    std::vector<int64_t> epoch1 = stream.next().indices;
    EXPECT_EQ(stream.state(), (StreamState{1, 1}));
    EXPECT_NE(first, epoch1);
}

TEST(BatchStream, PrefetchDoesNotChangeTheOrder) {
    const auto examples = dataset(30);
    BatchStream a(examples, options(0), true), b(examples, options(4), true);
    for (int i = 0; i < 25; ++i) {
        ASSERT_TRUE(same(a.next(), b.next())) << i;
    }
}

TEST(BatchStream, OnePassEnds) {
    const auto examples = dataset(10);
    auto o = options(2);
    o.shuffle = false;
    BatchStream stream(examples, o, false);
    std::vector<int64_t> seen;
    while (!stream.done()) {
        const auto batch = stream.next();
        seen.insert(seen.end(), batch.indices.begin(), batch.indices.end());
    }
    EXPECT_EQ(seen, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(stream.next()),
              "batch stream: next() after the end of the pass");
    stream.restore({0, 1});
    EXPECT_EQ(stream.next().indices, (std::vector<int64_t>{4, 5, 6, 7}));
}

TEST(BatchStream, WorkerExceptionsReachTheConsumerInOrder) {
    auto examples = dataset(12);
    examples[9].tokens.assign(100, 5);  // too long for max_length 20: the third batch fails
    for (int prefetch : {0, 2}) {
        auto o = options(prefetch);
        o.shuffle = false;
        o.max_length = 20;
        BatchStream stream(examples, o, true);
        EXPECT_EQ(stream.next().indices.front(), 0);
        EXPECT_EQ(stream.next().indices.front(), 4);
        const std::string expected =
            "batch: example 9 has 100 tokens, more than max_length 20; truncate it in the task "
            "(option max_length)";
        EXPECT_EQ(LM_DATA_ERROR_MESSAGE(stream.next()), expected);
        EXPECT_EQ(stream.state(), (StreamState{0, 2}));
        EXPECT_EQ(LM_DATA_ERROR_MESSAGE(stream.next()), expected);  // fails again, no hang
    }
}

TEST(BatchStream, ShutsDownWithAFullQueue) {
    const auto examples = dataset(100);
    for (int i = 0; i < 20; ++i) {
        BatchStream stream(examples, options(3), true);
        // The worker is now blocked on a full queue; the destructor must stop it, not hang.
        EXPECT_EQ(stream.next().batch, 4);
    }
}

TEST(BatchStream, BadConstructionAndRestore) {
    const auto examples = dataset(3);
    auto o = options(0);
    o.drop_last = true;
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(BatchStream(examples, o, true)),
              "batch stream: 3 examples give no batch of 4 with drop_last");
    const auto eight = dataset(8);
    BatchStream stream(eight, options(0), true);
    EXPECT_EQ(LM_DATA_ERROR_MESSAGE(stream.restore({0, 2})),
              "batch stream: cannot restore position 2 of an epoch with 2 batches");
}

}  // namespace
}  // namespace lm::data
