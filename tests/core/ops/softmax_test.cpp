// Softmax values (core/ops/softmax.h); its gradients are op cases (softmax_cases.cpp).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

using testing::expect_values;

TEST(OpsValues, Softmax) {
    // softmax / log_softmax of [0, ln 2, ln 5]: [1/8, 2/8, 5/8]
    const Tensor s = tensor({0, std::log(2.0), std::log(5.0)}, {DType::Float64});
    expect_values(softmax(s), {0.125, 0.25, 0.625}, 1e-15);
    expect_values(log_softmax(s), {std::log(0.125), std::log(0.25), std::log(0.625)}, 1e-15);
    expect_values(softmax(s + 1000.0), {0.125, 0.25, 0.625}, 1e-12);  // e^1000 would overflow
}

}  // namespace
}  // namespace lm
