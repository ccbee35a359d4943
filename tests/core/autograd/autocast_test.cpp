// Autocast (core/autograd/autocast.h): linear() under an AutocastScope equals the float32
// linear of the rounded operands, forward and backward (the backward also rounds dy, as
// autocast's 16-bit output would be); the gradients of the float32 weights are float32. A
// finite-difference check is meaningless for rounding, so the backward is compared with the
// float32 backward of the rounded inputs instead.
#include <gtest/gtest.h>

#include "core/autograd/autocast.h"
#include "core/ops/elementwise.h"
#include "tests/support/tensor_testing.h"

namespace lm {
namespace {

using testing::max_abs_diff;
using testing::random_tensor;

Tensor rounded(const Tensor& x, DType half) {
    return ops::cast(ops::cast(x.detach(), half), DType::Float32);
}

Tensor leaf(const Tensor& x) {
    Tensor t = x.detach().contiguous();
    t.requires_grad_(true);
    return t;
}

struct LinearGrads {
    Tensor y, dx, dw, db;
};

LinearGrads run_linear(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& dy) {
    Tensor lx = leaf(x), lw = leaf(w), lb = leaf(b);
    LinearGrads r;
    r.y = linear(lx, lw, lb);
    r.y.backward(dy);
    r.dx = lx.grad(), r.dw = lw.grad(), r.db = lb.grad();
    return r;
}

class Autocast : public ::testing::TestWithParam<DType> {};

TEST_P(Autocast, LinearEqualsFloat32LinearOfRoundedOperands) {
    const DType half = GetParam();
    const Tensor x = random_tensor({3, 5, 24}, 1, DType::Float32);
    const Tensor w = random_tensor({7, 24}, 2, DType::Float32);
    const Tensor b = random_tensor({7}, 3, DType::Float32);
    const Tensor dy = random_tensor({3, 5, 7}, 4, DType::Float32);
    LinearGrads mixed;
    {
        const AutocastScope amp(half);
        EXPECT_EQ(autocast_dtype(), half);
        mixed = run_linear(x, w, b, dy);
    }
    EXPECT_FALSE(autocast_enabled());
    // The reference: float32 linear of the rounded x and W, backward of the rounded dy.
    const LinearGrads ref = run_linear(rounded(x, half), rounded(w, half), b, rounded(dy, half));
    for (const Tensor* t : {&mixed.y, &mixed.dx, &mixed.dw, &mixed.db}) {
        EXPECT_EQ(t->dtype(), DType::Float32);
    }
    EXPECT_LT(max_abs_diff(mixed.y, ref.y), 1e-5);
    EXPECT_LT(max_abs_diff(mixed.dx, ref.dx), 1e-5);
    EXPECT_LT(max_abs_diff(mixed.dw, ref.dw), 1e-5);
    EXPECT_LT(max_abs_diff(mixed.db, ref.db), 1e-5);
    // ... and the rounding really happened (float32 differs by far more than the tolerance).
    const LinearGrads full = run_linear(x, w, b, dy);
    EXPECT_GT(max_abs_diff(mixed.y, full.y), 1e-4);
    EXPECT_GT(max_abs_diff(mixed.dw, full.dw), 1e-4);
}

TEST_P(Autocast, BackwardOutsideTheScopeKeepsTheForwardDtype) {
    const DType half = GetParam();
    const Tensor x = random_tensor({6, 16}, 5, DType::Float32);
    const Tensor w = random_tensor({4, 16}, 6, DType::Float32);
    const Tensor b = random_tensor({4}, 7, DType::Float32);
    const Tensor dy = random_tensor({6, 4}, 8, DType::Float32);
    Tensor lx = leaf(x), lw = leaf(w), lb = leaf(b);
    Tensor y;
    {
        const AutocastScope amp(half);
        y = linear(lx, lw, lb);
    }
    y.backward(dy);  // as the trainer does: the scope covers the forward only
    const LinearGrads ref = run_linear(rounded(x, half), rounded(w, half), b, rounded(dy, half));
    EXPECT_LT(max_abs_diff(lw.grad(), ref.dw), 1e-5);
    EXPECT_LT(max_abs_diff(lx.grad(), ref.dx), 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Dtypes,
                         Autocast,
                         ::testing::Values(DType::BFloat16, DType::Float16),
                         [](const auto& info) { return std::string(dtype_name(info.param)); });

TEST(AutocastScope, NestsTurnsOffAndLeavesOtherOpsAndFloat64Alone) {
    const Tensor a = random_tensor({4, 8}, 9, DType::Float32);
    const Tensor w = random_tensor({3, 8}, 10, DType::Float32);
    const Tensor exact = matmul(a, w.mT());
    {
        const AutocastScope amp(DType::BFloat16);
        EXPECT_EQ(max_abs_diff(matmul(a, w.mT()), exact), 0.0);  // only linear() consults it
        {
            const AutocastScope off(DType::Float32);  // as around the attention cores
            EXPECT_FALSE(autocast_enabled());
            EXPECT_LT(max_abs_diff(linear(a, w), exact), 1e-6);
        }
        EXPECT_EQ(autocast_dtype(), DType::BFloat16);
        const Tensor a64 = ops::cast(a, DType::Float64), w64 = ops::cast(w, DType::Float64);
        EXPECT_EQ(linear(a64, w64).dtype(), DType::Float64);
        EXPECT_LT(max_abs_diff(linear(a64, w64), matmul(a64, w64.mT())), 1e-12);
    }
    EXPECT_THROW(AutocastScope(DType::Int32), Error);
    EXPECT_EQ(precision_dtype("bf16"), DType::BFloat16);
    EXPECT_EQ(precision_dtype("fp16"), DType::Float16);
    EXPECT_EQ(precision_dtype("fp32"), DType::Float32);
    EXPECT_THROW(precision_dtype("fp8"), Error);
}

}  // namespace
}  // namespace lm
