// Finite-difference gradient checks (float64) of the fused network functions: layer norm,
// embedding lookup, cross-entropy, dropout and the depthwise sequence convolution.
#include <gtest/gtest.h>

#include <vector>

#include "core/kernels/dropout.h"
#include "core/ops/dispatch.h"
#include "core/ops/dropout.h"
#include "tests/support/gradcheck.h"

namespace lm {
namespace {

using testing::gradcheck;
using testing::leaf;
using testing::noncontiguous_leaf;

TEST(GradcheckNN, LayerNorm) {
    const Tensor x = leaf({4, 6}, 1, -2.0, 2.0), w = leaf({6}, 2), b = leaf({6}, 3);
    auto ln = [](const std::vector<Tensor>& in) { return layer_norm(in[0], in[1], in[2]); };
    gradcheck(ln, {x, w, b}, {}, "layer_norm");
    gradcheck(ln, {leaf({2, 3, 5}, 4), leaf({5}, 5), leaf({5}, 6)}, {}, "layer_norm 3-D");
    gradcheck(ln, {noncontiguous_leaf({5, 4}, 7), leaf({4}, 8), leaf({4}, 9)}, {},
              "layer_norm non-contiguous");
    gradcheck([](const std::vector<Tensor>& in) { return layer_norm(in[0], Tensor(), Tensor()); },
              {x}, {}, "layer_norm without weight and bias");
    gradcheck([](const std::vector<Tensor>& in) { return layer_norm(in[0], in[1], Tensor()); },
              {x, w}, {}, "layer_norm weight only");
    gradcheck([](const std::vector<Tensor>& in) { return layer_norm(in[0], Tensor(), in[1]); },
              {x, b}, {}, "layer_norm bias only");
    gradcheck([](const std::vector<Tensor>& in) { return layer_norm(in[0], in[1], in[2], 0.5); },
              {x, w, b}, {}, "layer_norm large eps");
}

TEST(GradcheckNN, EmbeddingRepeatedIds) {
    const Tensor w = leaf({5, 3}, 10);
    const Tensor ids = from_vector(std::vector<int64_t>{4, 1, 1, 0, 4, 4}, {2, 3}, {DType::Int64});
    gradcheck([ids](const std::vector<Tensor>& in) { return embedding(ids, in[0]); }, {w}, {},
              "embedding");
    const Tensor ids32 = from_vector(std::vector<int32_t>{2, 2, 3}, {3}, {DType::Int32});
    gradcheck([ids32](const std::vector<Tensor>& in) { return embedding(ids32, in[0]); }, {w}, {},
              "embedding int32 ids");
    // backward scatter-adds: row 4 appears three times, row 2 and 3 never
    Tensor wl = w.detach().clone().requires_grad_();
    embedding(ids, wl).sum().backward();
    testing::expect_values(wl.grad(), {1, 1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0, 3, 3, 3});
}

TEST(GradcheckNN, CrossEntropy) {
    const Tensor logits = leaf({5, 4}, 11, -2.0, 2.0);
    const Tensor t = from_vector(std::vector<int64_t>{0, 3, -100, 1, 3}, {5}, {DType::Int64});
    const Tensor t7 = from_vector(std::vector<int64_t>{0, 3, 7, 1, 7}, {5}, {DType::Int64});
    const Tensor t32 = from_vector(std::vector<int32_t>{2, 1, 0, 0, 3}, {5}, {DType::Int32});
    struct Case {
        Tensor targets;
        int64_t ignore;
        double smoothing;
        const char* what;
    };
    const Case cases[] = {
        {t32, -100, 0.0, "plain, int32 targets"},
        {t, -100, 0.0, "ignore_index -100"},
        {t7, 7, 0.0, "ignore_index 7"},
        {t32, -100, 0.2, "label smoothing"},
        {t, -100, 0.1, "ignore_index and label smoothing"},
    };
    for (const Case& c : cases) {
        gradcheck(
            [c](const std::vector<Tensor>& in) {
                return cross_entropy(in[0], c.targets, c.ignore, c.smoothing);
            },
            {logits}, {}, c.what);
    }
    gradcheck([t](const std::vector<Tensor>& in) { return cross_entropy(in[0], t) * 3.0; },
              {noncontiguous_leaf({5, 4}, 12)}, {}, "non-contiguous logits, scaled loss");
}

TEST(GradcheckNN, CrossEntropyValue) {
    // hand-computed: logits [0, ln 3] with target 1: p = 3/4, loss = ln(4/3)
    const Tensor x = from_vector(std::vector<double>{0.0, std::log(3.0)}, {1, 2}, {DType::Float64});
    const Tensor t = from_vector(std::vector<int64_t>{1}, {1}, {DType::Int64});
    EXPECT_NEAR(cross_entropy(x, t).item(), std::log(4.0 / 3.0), 1e-15);
    // smoothing eps: (1 - eps) * nll(target) + eps * mean over classes of nll
    const double eps = 0.3;
    EXPECT_NEAR(cross_entropy(x, t, -100, eps).item(),
                (1 - eps) * std::log(4.0 / 3.0) + eps * 0.5 * (std::log(4.0) + std::log(4.0 / 3.0)),
                1e-15);
    // every target ignored: NaN (mean over no rows), and no gradient flows
    Tensor xl = x.detach().clone().requires_grad_();
    const Tensor ign = from_vector(std::vector<int64_t>{-100}, {1}, {DType::Int64});
    Tensor loss = cross_entropy(xl, ign);
    EXPECT_TRUE(std::isnan(loss.item()));
    loss.backward();
    testing::expect_values(xl.grad(), {0.0, 0.0});
}

TEST(GradcheckNN, DropoutFixedGenerator) {
    const Tensor x = leaf({4, 7}, 13), xn = noncontiguous_leaf({6, 5}, 14);
    for (const Tensor& in : {x, xn}) {
        gradcheck(
            [](const std::vector<Tensor>& v) {
                Generator gen(2024);  // fresh each call: the same mask in every evaluation
                return dropout(v[0], 0.3, true, gen);
            },
            {in}, {}, "dropout " + in.shape().str());
    }
    // the mask is not trivial and the gradient is mask / (1 - p)
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
TEST(GradcheckNN, DropoutMaskBitsEqualTheRegeneratedMask) {
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

TEST(GradcheckNN, DepthwiseConvSeq) {
    // x [B, H, N, D], weight [H, K]
    for (int64_t K : {1, 3, 5}) {
        const Tensor x = leaf({2, 3, 6, 4}, 15), w = leaf({3, K}, 16);
        gradcheck([](const std::vector<Tensor>& in) { return depthwise_conv_seq(in[0], in[1]); },
                  {x, w}, {}, "depthwise_conv_seq K " + std::to_string(K));
    }
    // a non-contiguous x (as from a head split: [B, N, H, D] permuted) and a kernel longer than N
    gradcheck(
        [](const std::vector<Tensor>& in) {
            return depthwise_conv_seq(in[0].permute({0, 2, 1, 3}), in[1]);
        },
        {leaf({1, 3, 2, 4}, 17), leaf({2, 7}, 18)}, {}, "depthwise_conv_seq permuted, K > N");
}

TEST(GradcheckNN, DepthwiseConvSeqValues) {
    // y[i] = sum_t w[t] x[i + t - K/2] with zero padding (cross-correlation)
    const Tensor x = from_vector(std::vector<double>{1, 2, 3, 4}, {1, 1, 4, 1}, {DType::Float64});
    const Tensor w = from_vector(std::vector<double>{1, 10, 100}, {1, 3}, {DType::Float64});
    testing::expect_values(depthwise_conv_seq(x, w),
                           {10 + 200, 1 + 20 + 300, 2 + 30 + 400, 3 + 40});
}

}  // namespace
}  // namespace lm
