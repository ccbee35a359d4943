#include "data/parallel.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "data/error.h"

namespace lm::data {
namespace {

TEST(ParallelFor, VisitsEveryIndexOnce) {
    for (int threads : {1, 2, 4}) {
        std::vector<int> hits(1000, 0);
        parallel_for(1000, threads, [&](int64_t i) { hits[i] += 1; });
        for (int h : hits) {
            ASSERT_EQ(h, 1) << threads << " threads";
        }
    }
}

TEST(ParallelFor, RethrowsAfterJoining) {
    EXPECT_THROW(parallel_for(100, 3,
                              [](int64_t i) {
                                  if (i == 42) throw DataError("item 42");
                              }),
                 DataError);
}

TEST(ParallelFor, SingleThreadReportsTheFirstFailure) {
    try {
        parallel_for(10, 1, [](int64_t i) {
            if (i >= 3) throw DataError("item " + std::to_string(i));
        });
        FAIL() << "expected an exception";
    } catch (const DataError& e) {
        EXPECT_STREQ(e.what(), "item 3");
    }
}

TEST(ResolveThreads, ZeroMeansAtLeastOne) {
    EXPECT_GE(resolve_threads(0), 1);
    EXPECT_EQ(resolve_threads(3), 3);
}

}  // namespace
}  // namespace lm::data
