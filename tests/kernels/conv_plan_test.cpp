// The cuDNN convolution of the depthwise sequence convolution (core/ops/conv_seq_plan.h) checked on
// the CPU: the plan is interpreted with cuDNN's definition of a grouped 2-D cross-correlation
// over NCHW / KCRS tensors and compared with the CPU's row functions (kernels/conv_seq.h).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/base/check.h"
#include "core/ops/conv_seq_plan.h"
#include "core/kernels/conv_seq.h"

namespace lm::cuda {
namespace {

std::vector<double> values(size_t n, uint32_t seed) {
    std::vector<double> v(n);
    for (double& x : v) {
        seed = seed * 1664525u + 1013904223u;
        x = static_cast<double>((seed >> 8) % 2001) / 1000.0 - 1.0;
    }
    return v;
}

// y = conv(x, w) as cuDNN computes a grouped cross-correlation described by `p`.
std::vector<double> cudnn_forward(const ConvPlan& p,
                                  const std::vector<double>& x,
                                  const std::vector<double>& w) {
    std::vector<double> y(static_cast<size_t>(p.n * p.k_out * p.out_h * p.out_w), 0.0);
    const int64_t out_per_group = p.k_out / p.groups;
    const Nchw xs = packed_strides(p.c, p.h, p.w), ys = packed_strides(p.k_out, p.out_h, p.out_w);
    for (int64_t n = 0; n < p.n; ++n)
        for (int64_t k = 0; k < p.k_out; ++k)
            for (int64_t oh = 0; oh < p.out_h; ++oh)
                for (int64_t ow = 0; ow < p.out_w; ++ow) {
                    double acc = 0;
                    const int64_t g = k / out_per_group;
                    for (int64_t ci = 0; ci < p.k_in; ++ci)
                        for (int64_t r = 0; r < p.kh; ++r)
                            for (int64_t s = 0; s < p.kw; ++s) {
                                const int64_t ih = oh * p.stride_h - p.pad_h + r * p.dil_h;
                                const int64_t iw = ow * p.stride_w - p.pad_w + s * p.dil_w;
                                if (ih < 0 || ih >= p.h || iw < 0 || iw >= p.w) continue;
                                const int64_t c = g * p.k_in + ci;
                                acc += w[((k * p.k_in + ci) * p.kh + r) * p.kw + s] *
                                       x[n * xs.n + c * xs.c + ih * xs.h + iw * xs.w];
                            }
                    y[n * ys.n + k * ys.c + oh * ys.h + ow * ys.w] = acc;
                }
    return y;
}

TEST(ConvPlan, DepthwiseSequenceConvMatchesTheCpuRows) {
    const int64_t shapes[][5] = {
        {2, 3, 7, 4, 3}, {1, 1, 1, 1, 1}, {2, 2, 5, 3, 5}, {1, 4, 9, 2, 7}, {3, 2, 2, 6, 5}};
    for (const auto& s : shapes) {
        const int64_t B = s[0], H = s[1], N = s[2], D = s[3], K = s[4];
        const ConvPlan p = conv_seq_plan(B, H, N, D, K);
        EXPECT_EQ(p.out_h, N);
        EXPECT_EQ(p.out_w, D);
        EXPECT_TRUE(p.cross_correlation);
        const auto x = values(static_cast<size_t>(B * H * N * D), 1 + K);
        const auto w = values(static_cast<size_t>(H * K), 2 + N);
        const auto y = cudnn_forward(p, x, w);
        std::vector<double> ref(y.size(), 0.0);
        for (int64_t b = 0; b < B; ++b)
            for (int64_t h = 0; h < H; ++h) {
                const int64_t off = (b * H + h) * N * D;
                for (int64_t i = 0; i < N; ++i)
                    kernels::conv_seq_row_forward(x.data() + off, w.data() + h * K,
                                                  ref.data() + off + i * D, i, N, D, K);
            }
        for (size_t i = 0; i < y.size(); ++i)
            ASSERT_NEAR(y[i], ref[i], 1e-12) << i;
    }
}

TEST(ConvPlan, RejectsEvenKernelsAndChoosesAlgorithms) {
    EXPECT_THROW(conv_seq_plan(1, 1, 4, 4, 4), Error);
    const std::vector<ConvAlgoCandidate> c = {{3, false, 0, true},
                                              {5, true, size_t{1} << 40, true},
                                              {1, true, 100, false},
                                              {2, true, 200, true}};
    EXPECT_EQ(choose_conv_algo(c, kConvWorkspaceLimit, false), 1);
    EXPECT_EQ(choose_conv_algo(c, kConvWorkspaceLimit, true), 2);
    EXPECT_EQ(choose_conv_algo(c, 50, false), -1);
    EXPECT_EQ(choose_conv_algo({}, kConvWorkspaceLimit, false), -1);
}

}  // namespace
}  // namespace lm::cuda
