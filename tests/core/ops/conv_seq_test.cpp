// Depthwise sequence convolution values (core/ops/conv_seq.h); its gradients are op cases
// (conv_seq_cases.cpp).
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/gradcheck.h"

namespace lm {
namespace {

TEST(ConvSeq, CrossCorrelationWithZeroPadding) {
    // y[i] = sum_t w[t] x[i + t - K/2] with zero padding (cross-correlation)
    const Tensor x = from_vector(std::vector<double>{1, 2, 3, 4}, {1, 1, 4, 1}, {DType::Float64});
    const Tensor w = from_vector(std::vector<double>{1, 10, 100}, {1, 3}, {DType::Float64});
    testing::expect_values(depthwise_conv_seq(x, w),
                           {10 + 200, 1 + 20 + 300, 2 + 30 + 400, 3 + 40});
}

}  // namespace
}  // namespace lm
