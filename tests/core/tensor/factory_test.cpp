// Values of the tensor factories (core/tensor/factory.h).
#include <gtest/gtest.h>

#include <vector>

#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

using testing::as_int;
using testing::expect_values;

TEST(OpsValues, Factories) {
    const Tensor z = zeros({2, 3});
    EXPECT_EQ(z.dtype(), DType::Float32);
    expect_values(z, std::vector<double>(6, 0.0));
    expect_values(ones({4}, {DType::Int32}), {1, 1, 1, 1});
    expect_values(full({2, 2}, -2.5, {DType::Float64}), {-2.5, -2.5, -2.5, -2.5});
    EXPECT_EQ(full({}, 3.0).dim(), 0);
    EXPECT_EQ(as_int(full({3}, 1.0, {DType::Bool})), (std::vector<int32_t>{1, 1, 1}));
    const Tensor a = arange(5);
    EXPECT_EQ(a.dtype(), DType::Int64);
    EXPECT_EQ(a.to_vector<int64_t>(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
    expect_values(arange(3, {DType::Float32}), {0, 1, 2});
    EXPECT_EQ(arange(0).numel(), 0);
    expect_values(eye(3), {1, 0, 0, 0, 1, 0, 0, 0, 1});
    EXPECT_EQ(eye(2, {DType::Float64}).dtype(), DType::Float64);
    const Tensor zl = zeros_like(eye(2, {DType::Int64}));
    EXPECT_EQ(zl.dtype(), DType::Int64);
    expect_values(ones_like(zl), {1, 1, 1, 1});
    expect_values(tensor({1.5, -2}), {1.5, -2});
    EXPECT_THROW(from_vector(std::vector<float>{1, 2, 3}, {2, 2}), Error);
    EXPECT_THROW(zeros({2, -1}), Error);
}

}  // namespace
}  // namespace lm
