#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/base/parallel.h"

namespace lm {
namespace {

TEST(ParallelForEach, VisitsEveryIndexOnce) {
    for (int threads : {0, 1, 2, 4}) {
        std::vector<int> hits(1000, 0);
        parallel_for_each(1000, threads, [&](int64_t i) { hits[i] += 1; });
        for (int h : hits)
            ASSERT_EQ(h, 1) << threads << " threads";
    }
}

TEST(ParallelForEach, RethrowsTheFailureAfterAllWorkersStopped) {
    std::atomic<int> running{0};
    EXPECT_THROW(parallel_for_each(100, 3,
                                   [&](int64_t i) {
                                       ++running;
                                       if (i == 42) {
                                           --running;
                                           throw std::runtime_error("item 42");
                                       }
                                       --running;
                                   }),
                 std::runtime_error);
    EXPECT_EQ(running.load(), 0);
}

TEST(ParallelForEach, SingleThreadReportsTheFirstFailure) {
    try {
        parallel_for_each(10, 1, [](int64_t i) {
            if (i >= 3) throw std::runtime_error("item " + std::to_string(i));
        });
        FAIL() << "expected an exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "item 3");
    }
}

// A data loader thread and the trainer may both use the pool: the second caller runs inline
// instead of corrupting the job in flight, and both finish with every item done once.
TEST(ParallelForEach, TwoCallingThreadsAtOnceBothComplete) {
    set_num_threads(2);
    std::vector<int> a(20000, 0), b(20000, 0);
    std::thread other([&] {
        for (int rep = 0; rep < 50; ++rep)
            parallel_for_each(400, 0, [&](int64_t i) { a[rep * 400 + i] += 1; });
    });
    for (int rep = 0; rep < 50; ++rep) {
        parallel_for(0, 400, 1, [&](int64_t lo, int64_t hi) {
            for (int64_t i = lo; i < hi; ++i)
                b[rep * 400 + i] += 1;
        });
    }
    other.join();
    for (size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i], 1) << i;
        ASSERT_EQ(b[i], 1) << i;
    }
}

}  // namespace
}  // namespace lm
