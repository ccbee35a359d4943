// The fixed-lane row reductions against plain loops, for lengths below, at and across the lane
// count (tail only, lanes only, both) and with the maximum at every position.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/kernels/lane_reduce.h"

namespace lm::kernels {
namespace {

std::vector<double> values(int64_t n, int salt) {
    std::vector<double> x(n);
    for (int64_t i = 0; i < n; ++i)
        x[i] = 0.37 * static_cast<double>((i * 13 + salt) % 29) - 4.0;
    return x;
}

TEST(LaneReduce, SumAndDotMatchPlainLoopsForEveryLength) {
    for (int64_t n = 1; n <= 3 * kReduceLanes + 5; ++n) {
        const std::vector<double> a = values(n, 1), b = values(n, 7);
        double sum = 0, dot = 0;
        for (int64_t i = 0; i < n; ++i)
            sum += a[i], dot += a[i] * b[i];
        EXPECT_NEAR(row_sum(a.data(), n), sum, 1e-12) << n;
        EXPECT_NEAR(row_dot(a.data(), b.data(), n), dot, 1e-11) << n;
        const float af = static_cast<float>(a[0]);
        EXPECT_EQ(row_sum(&af, 1), af);
    }
}

TEST(LaneReduce, MaxFindsTheLargestAtEveryPosition) {
    for (int64_t n : {int64_t{1}, int64_t{5}, int64_t{kReduceLanes}, int64_t{kReduceLanes + 3},
                      int64_t{4 * kReduceLanes + 1}}) {
        for (int64_t at = 0; at < n; ++at) {
            std::vector<double> x = values(n, 3);
            x[at] = 100.0;
            EXPECT_EQ(row_max(x.data(), n), 100.0) << "n " << n << " at " << at;
        }
    }
}

}  // namespace
}  // namespace lm::kernels
