// NaN in, NaN out: every unary functor and the dropout mask keep a NaN as PyTorch does, so a
// poisoned weight reaches the loss and train.nonfinite sees it (a relu written as x > 0 ? x : 0
// once turned NaN activations into zeros and hid a NaN embedding from the loss).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/kernels/dropout.h"
#include "core/kernels/elementwise.h"

namespace lm::kernels {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

template <UnaryOp OP>
void expect_nan_forward(const char* name, float a = 2.0f, float b = 1.0f) {
    EXPECT_TRUE(std::isnan(unary_forward<OP>(kNaN, a, b))) << name << " (float)";
    EXPECT_TRUE(std::isnan(unary_forward<OP>(static_cast<double>(kNaN), double(a), double(b))))
        << name << " (double)";
}

TEST(NanPropagation, EveryUnaryForwardKeepsNaN) {
    expect_nan_forward<UnaryOp::Neg>("neg");
    expect_nan_forward<UnaryOp::Exp>("exp");
    expect_nan_forward<UnaryOp::Log>("log");
    expect_nan_forward<UnaryOp::Sqrt>("sqrt");
    expect_nan_forward<UnaryOp::Rsqrt>("rsqrt");
    expect_nan_forward<UnaryOp::Tanh>("tanh");
    expect_nan_forward<UnaryOp::Sigmoid>("sigmoid");
    expect_nan_forward<UnaryOp::Relu>("relu");
    expect_nan_forward<UnaryOp::GeluTanh>("gelu_tanh");
    expect_nan_forward<UnaryOp::GeluErf>("gelu_erf");
    expect_nan_forward<UnaryOp::Elu>("elu", 1.0f);
    expect_nan_forward<UnaryOp::Softplus>("softplus", 1.0f, 20.0f);
    expect_nan_forward<UnaryOp::Abs>("abs");
    expect_nan_forward<UnaryOp::Square>("square");
    expect_nan_forward<UnaryOp::Reciprocal>("reciprocal");
    expect_nan_forward<UnaryOp::Pow>("pow");
    expect_nan_forward<UnaryOp::Affine>("affine");
    expect_nan_forward<UnaryOp::Clamp>("clamp", -1.0f, 1.0f);
    expect_nan_forward<UnaryOp::LeakyRelu>("leaky_relu", 0.01f);
    expect_nan_forward<UnaryOp::Log1p>("log1p");
    expect_nan_forward<UnaryOp::Expm1>("expm1");
}

TEST(NanPropagation, ReluStillZeroesNegativesAndKeepsPositives) {
    EXPECT_EQ(unary_forward<UnaryOp::Relu>(-3.0f, 0.0f, 0.0f), 0.0f);
    EXPECT_EQ(unary_forward<UnaryOp::Relu>(2.5f, 0.0f, 0.0f), 2.5f);
    EXPECT_EQ(unary_forward<UnaryOp::Relu>(-0.0f, 0.0f, 0.0f), 0.0f);
}

TEST(NanPropagation, DroppedNaNStaysNaNAsXTimesMask) {
    const float in[4] = {kNaN, kNaN, kNaN, kNaN};
    float out[4];
    // p = 0.999: almost every element is dropped, yet x * 0 of a NaN is NaN.
    for (uint64_t block = 0; block < 16; ++block) {
        dropout_apply4(in, out, 7, 0, block * 4, 4, 0.999f, 1000.0f);
        for (float v : out)
            EXPECT_TRUE(std::isnan(v));
    }
    const float finite[4] = {1, 2, 3, 4};
    dropout_apply4(finite, out, 7, 0, 0, 4, 0.999f, 1000.0f);
    for (float v : out)
        EXPECT_TRUE(v == 0.0f || std::isfinite(v));
}

}  // namespace
}  // namespace lm::kernels
