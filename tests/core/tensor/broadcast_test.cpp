// NumPy broadcasting: shape rules, values of broadcast binary ops (including strided and 0-d
// operands), comparisons and where, and the errors for shapes that do not broadcast.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

using testing::expect_values;

TEST(Broadcast, ShapeRules) {
    struct Case {
        Shape a, b, out;
    };
    const Case cases[] = {
        {{2, 3}, {2, 3}, {2, 3}},
        {{2, 3}, {3}, {2, 3}},
        {{2, 1}, {1, 3}, {2, 3}},
        {{4, 1, 3}, {2, 1}, {4, 2, 3}},
        {{}, {2, 3}, {2, 3}},
        {{5}, {}, {5}},
        {{1}, {7}, {7}},
        {{0, 3}, {1, 3}, {0, 3}},
        {{2, 1, 1}, {3, 1}, {2, 3, 1}},
        {{1, 1, 1, 1}, {2}, {1, 1, 1, 2}},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(broadcast_shapes(c.a, c.b, "test"), c.out) << c.a.str() << " " << c.b.str();
        EXPECT_EQ(broadcast_shapes(c.b, c.a, "test"), c.out) << c.b.str() << " " << c.a.str();
    }
}

TEST(Broadcast, IncompatibleShapesNameOpAndShapes) {
    const std::pair<Shape, Shape> bad[] = {
        {{2, 3}, {2}},
        {{3}, {4}},
        {{2, 3, 4}, {3, 3}},
        {{0}, {2}},
    };
    for (const auto& [a, b] : bad) {
        try {
            broadcast_shapes(a, b, "myop");
            ADD_FAILURE() << a.str() << " and " << b.str() << " should not broadcast";
        } catch (const Error& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find("myop"), std::string::npos) << msg;
            EXPECT_NE(msg.find(a.str()), std::string::npos) << msg;
            EXPECT_NE(msg.find(b.str()), std::string::npos) << msg;
        }
    }
}

TEST(Broadcast, BinaryValues) {
    const Tensor col = tensor({1, 2}).view({2, 1});
    const Tensor row = tensor({10, 20, 30});
    expect_values(add(col, row), {11, 21, 31, 12, 22, 32});
    expect_values(sub(row, col), {9, 19, 29, 8, 18, 28});
    expect_values(mul(col, row), {10, 20, 30, 20, 40, 60});
    expect_values(div(row, col), {10, 20, 30, 5, 10, 15});
    expect_values(pow(col, tensor({1, 2, 3})), {1, 1, 1, 2, 4, 8});
    expect_values(maximum(col, tensor({0, 1.5, 3})), {1, 1.5, 3, 2, 2, 3});
    expect_values(minimum(col, tensor({0, 1.5, 3})), {0, 1, 1, 0, 1.5, 2});
    expect_values(add(row, scalar_tensor(0.5)), {10.5, 20.5, 30.5});
    // a strided operand (every other element) and a transposed one
    const Tensor big = tensor({1, -1, 2, -1, 3, -1});
    expect_values(add(big.slice(0, 0, 6, 2), row), {11, 22, 33});
    const Tensor m = tensor({1, 2, 3, 4, 5, 6}).view({2, 3});
    expect_values(add(m.mT(), col.view({1, 2})), {2, 6, 3, 7, 4, 8});
    // integers broadcast too
    const Tensor ic = from_vector(std::vector<int64_t>{1, 2}, {2, 1}, {DType::Int64});
    const Tensor ir = from_vector(std::vector<int64_t>{10, 20}, {2}, {DType::Int64});
    const Tensor is = add(ic, ir);
    EXPECT_EQ(is.dtype(), DType::Int64);
    EXPECT_EQ(is.to_vector<int64_t>(), (std::vector<int64_t>{11, 21, 12, 22}));
    EXPECT_EQ(mul(ic, ir).to_vector<int64_t>(), (std::vector<int64_t>{10, 20, 20, 40}));
}

TEST(Broadcast, NanPropagatesThroughMaximum) {
    const double nan = std::nan("");
    const auto v =
        maximum(tensor({nan, 1.0}, {DType::Float64}), tensor({2.0, nan}, {DType::Float64}))
            .to_vector<double>();
    EXPECT_TRUE(std::isnan(v[0]));
    EXPECT_TRUE(std::isnan(v[1]));
}

TEST(Broadcast, LargeBroadcastMatchesLoop) {
    // crosses the parallel grain, so chunks start in the middle of rows
    const Tensor a = testing::random_tensor({300, 1, 129}, 1);
    const Tensor b = testing::random_tensor({7, 1}, 2);
    const Tensor y = mul(a, b);
    ASSERT_EQ(y.shape(), Shape({300, 7, 129}));
    const auto av = a.to_vector<double>(), bv = b.to_vector<double>(), yv = y.to_vector<double>();
    for (int64_t i = 0; i < 300; ++i) {
        for (int64_t j = 0; j < 7; ++j) {
            for (int64_t k = 0; k < 129; ++k) {
                ASSERT_EQ(yv[(i * 7 + j) * 129 + k], av[i * 129 + k] * bv[j]) << i << " " << j;
            }
        }
    }
}

TEST(Broadcast, GradientIsSummedBackToInputShape) {
    Tensor a = ones({3, 1}, {DType::Float64}).requires_grad_();
    Tensor b = ones({4}, {DType::Float64}).requires_grad_();
    Tensor c = scalar_tensor(2.0, {DType::Float64}).requires_grad_();
    (a * b * c).sum().backward();
    EXPECT_EQ(a.grad().shape(), Shape({3, 1}));
    EXPECT_EQ(b.grad().shape(), Shape({4}));
    EXPECT_EQ(c.grad().shape(), Shape({}));
    expect_values(a.grad(), {8, 8, 8});
    expect_values(b.grad(), {6, 6, 6, 6});
    expect_values(c.grad(), {12});
}

}  // namespace
}  // namespace lm
