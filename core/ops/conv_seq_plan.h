// The cuDNN convolution the depthwise sequence convolution (kernels/conv_seq.h) becomes,
// computed on the host without cuDNN types: tests/kernels/conv_plan_test.cpp interprets the plan
// with cuDNN's definition of a grouped 2-D cross-correlation and compares with the CPU conv.
//
// x [B, H, N, D] contiguous is the NCHW image batch n = B, c = H, h = N, w = D; the filter
// w [H, K] is KCRS [H, 1, K, 1]; zero padding (K/2, 0), stride 1, dilation 1, groups = H:
//   y[b, h, i, d] = sum_t w[h, t] x[b, h, i + t - K/2, d].
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/base/check.h"

namespace lm::cuda {

struct ConvPlan {
    int64_t n = 0, c = 0, h = 0, w = 0;           // input (and output) NCHW
    int64_t k_out = 0, k_in = 0, kh = 0, kw = 0;  // filter KCRS, k_in = c / groups
    int64_t pad_h = 0, pad_w = 0;
    int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
    int64_t groups = 1;
    int64_t out_h = 0, out_w = 0;
    bool cross_correlation = true;  // CUDNN_CROSS_CORRELATION (no filter flip, as PyTorch)
};

// Output size along one dim, as cudnnGetConvolution2dForwardOutputDim computes it.
inline int64_t conv_out_size(
    int64_t in, int64_t pad, int64_t filter, int64_t stride, int64_t dilation) {
    return 1 + (in + 2 * pad - ((filter - 1) * dilation + 1)) / stride;
}

inline ConvPlan conv_seq_plan(int64_t B, int64_t H, int64_t N, int64_t D, int64_t K) {
    LM_CHECK(K % 2 == 1, "depthwise_conv_seq: the kernel size must be odd, got ", K);
    ConvPlan p;
    p.n = B, p.c = H, p.h = N, p.w = D;
    p.k_out = H, p.k_in = 1, p.kh = K, p.kw = 1;
    p.pad_h = K / 2, p.pad_w = 0;
    p.groups = H;
    p.out_h = conv_out_size(N, p.pad_h, K, p.stride_h, p.dil_h);
    p.out_w = conv_out_size(D, p.pad_w, 1, p.stride_w, p.dil_w);
    // cuDNN takes int dims and strides: the largest stride is c h w
    const int64_t limit = std::numeric_limits<int>::max();
    LM_CHECK(B <= limit && H * N * D <= limit, "depthwise_conv_seq on CUDA: [", B, ", ", H, ", ", N,
             ", ", D, "] exceeds cuDNN's 32-bit dims");
    return p;
}

// Packed NCHW element strides of the input / output (what the descriptors are given).
struct Nchw {
    int64_t n, c, h, w;
};
inline Nchw packed_strides(int64_t c, int64_t h, int64_t w) {
    return {c * h * w, h * w, w, 1};
}

// cuDNN's heuristic list reduced to what the choice needs.
struct ConvAlgoCandidate {
    int algo = 0;
    bool ok = false;  // status CUDNN_STATUS_SUCCESS
    size_t workspace = 0;
    bool deterministic = false;
};

// The first (fastest by cuDNN's ranking) candidate that succeeded, fits `workspace_limit` and,
// when asked, is deterministic; -1 when none qualifies.
inline int choose_conv_algo(const std::vector<ConvAlgoCandidate>& candidates,
                            size_t workspace_limit,
                            bool need_deterministic) {
    for (const ConvAlgoCandidate& c : candidates) {
        if (!c.ok || c.workspace > workspace_limit) continue;
        if (need_deterministic && !c.deterministic) continue;
        return c.algo;
    }
    return -1;
}

inline constexpr size_t kConvWorkspaceLimit = size_t{256} << 20;

}  // namespace lm::cuda
