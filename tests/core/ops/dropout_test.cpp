// Dropout masks (core/ops/dropout.h); its gradients are op cases (dropout_cases.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "core/kernels/dropout.h"
#include "core/ops/dispatch.h"
#include "core/ops/dropout.h"
#include "tests/support/gradcheck.h"

namespace lm {
namespace {

TEST(Dropout, MaskIsNontrivialAndGradientIsMaskOverKeep) {
    // the mask is not trivial and the gradient is mask / (1 - p)
    const Tensor x = testing::leaf({4, 7}, 13);
    Generator gen(2024);
    Tensor xl = x.detach().clone().requires_grad_();
    Tensor y = dropout(xl, 0.3, true, gen);
    y.sum().backward();
    const auto yv = y.to_vector<double>(), xv = xl.to_vector<double>(),
               gv = xl.grad().to_vector<double>();
    int zeros = 0;
    for (size_t i = 0; i < yv.size(); ++i) {
        if (yv[i] == 0) {
            ++zeros;
            EXPECT_EQ(gv[i], 0.0);
        } else {
            EXPECT_NEAR(yv[i], xv[i] / 0.7, 1e-15);
            EXPECT_NEAR(gv[i], 1 / 0.7, 1e-15);
        }
    }
    EXPECT_GT(zeros, 0);
    EXPECT_LT(zeros, static_cast<int>(yv.size()));
    // eval mode and p = 0 are the identity
    EXPECT_TRUE(dropout(xl, 0.3, false, gen).same(xl));
    EXPECT_TRUE(dropout(xl, 0.0, true, gen).same(xl));
}

// Dropout through the row function the CUDA kernel runs, 4 elements per Philox call.
Tensor gpu_row_dropout(const Tensor& x, float p, uint64_t seed, uint64_t offset) {
    Tensor out = empty(x.shape(), x.dtype());
    dispatch_floating(x.dtype(), "test", [&](auto tag) {
        using T = decltype(tag);
        const int64_t n = x.numel();
        for (int64_t i = 0; i < n; i += 4) {
            kernels::dropout_apply4(
                x.data<T>() + i, out.data<T>() + i, seed, offset, static_cast<uint64_t>(i),
                static_cast<int>(std::min<int64_t>(4, n - i)), p, static_cast<T>(1.0 / (1.0 - p)));
        }
    });
    return out;
}

// The CPU keeps the dropout mask as bits: forward output and backward from the bits equal the
// regenerated mask, and the GPU's, bit for bit, whole 32-element words and a ragged end, float and
// double.
TEST(Dropout, MaskBitsEqualTheRegeneratedMask) {
    for (DType dtype : {DType::Float32, DType::Float64}) {
        for (int64_t n : {int64_t{32}, int64_t{4096}, int64_t{1000 + 3}, int64_t{5}}) {
            const Tensor x = testing::random_tensor({n}, 21, dtype);
            const Tensor dy = testing::random_tensor({n}, 22, dtype);
            Tensor bits;
            const Tensor y = ops::dropout(x, 0.25, 77, 1234, &bits);
            ASSERT_TRUE(bits.defined());
            EXPECT_EQ(bits.numel(), (n + 31) / 32);
            EXPECT_TRUE(testing::bitwise_equal(y, ops::dropout(x, 0.25, 77, 1234))) << n;
            // the mask the GPU kernel draws (kernels::dropout_apply4, group by group)
            EXPECT_TRUE(testing::bitwise_equal(y, gpu_row_dropout(x, 0.25f, 77, 1234))) << n;
            EXPECT_TRUE(testing::bitwise_equal(ops::dropout_backward(dy, 0.25, 77, 1234, bits),
                                               ops::dropout(dy, 0.25, 77, 1234)))
                << n;
            EXPECT_TRUE(testing::bitwise_equal(ops::dropout_backward(dy, 0.25, 77, 1234, Tensor()),
                                               ops::dropout(dy, 0.25, 77, 1234)));
        }
    }
    Tensor bits;
    (void)ops::dropout(testing::random_tensor({64}, 1), 0.5, 1, 0, &bits);
    EXPECT_THROW(ops::dropout_backward(testing::random_tensor({65}, 2), 0.5, 1, 0, bits), Error);
}

}  // namespace
}  // namespace lm
